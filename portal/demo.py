"""The demo data of `manage.py seed_demo`: each app registers its seeder in its
AppConfig.ready() with `register(seed)`; portal imports no app. The seeders run in the order they
were registered, which is the order of INSTALLED_APPS (contacts first, so the others find the
region and its accounts). A seeder takes the shared context dict ({"password", "stdout"}) and is
idempotent."""

_SEEDERS = []


def register(seed):
    if seed not in _SEEDERS:
        _SEEDERS.append(seed)


def seeders():
    return list(_SEEDERS)
