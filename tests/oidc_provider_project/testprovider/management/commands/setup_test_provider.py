"""Register Tandem as a client (confidential, code flow, RS256, no consent screen) and create
the provider's users; prints nothing secret that the test did not pass in itself."""

from django.contrib.auth.models import User
from django.core.management import BaseCommand, call_command
from oidc_provider.models import Client, ResponseType


class Command(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--client-secret", required=True)
        parser.add_argument("--redirect-uri", required=True)
        parser.add_argument("--user", action="append", default=[], help="username:email:password")

    def handle(self, *args, **options):
        call_command("creatersakey")
        client = Client.objects.create(
            name="Tandem",
            client_type="confidential",
            client_id=options["client_id"],
            client_secret=options["client_secret"],
            jwt_alg="RS256",
            require_consent=False,
            reuse_consent=True,
        )
        client.redirect_uris = [options["redirect_uri"]]
        client.scope = ["openid", "email", "profile"]
        client.save()
        client.response_types.add(ResponseType.objects.get(value="code"))
        for spec in options["user"]:
            username, email, password = spec.split(":", 2)
            User.objects.create_user(username, email=email, password=password)
