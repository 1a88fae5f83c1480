"""The keys security keeps in the session, read by its middleware, services and receivers."""

# When the user logged in (a timestamp), for the absolute session timeout (ADR 0042).
LOGIN_AT_SESSION_KEY = "tandem_login_at"
# "enrolled" or "none": whether the user had a confirmed device at login time (ADR 0040).
ENROLMENT_SESSION_KEY = "tandem_2fa"
# The slug of the identity provider a single sign-on session logged in through (ADR 0138).
SSO_PROVIDER_SESSION_KEY = "tandem_sso_provider"
# Which provider each pending single sign-on (by its OpenID Connect `state`) went to.
SSO_STATES_SESSION_KEY = "tandem_sso_states"
# When the session was last saved (a timestamp): a request saves it again only when this is
# TANDEM_SESSION_TOUCH_SECONDS old (ADR 0172).
SAVED_AT_SESSION_KEY = "tandem_saved_at"
