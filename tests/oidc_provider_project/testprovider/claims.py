def userinfo(claims, user):
    """The standard claims the test provider tells: e-mail (verified) and name."""
    claims["email"] = user.email
    claims["email_verified"] = True
    claims["name"] = user.get_full_name() or user.username
    return claims
