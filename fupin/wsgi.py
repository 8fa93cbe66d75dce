import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
application = get_wsgi_application()
# Every view module and the URL map now, while the web process starts and before it takes
# connections, not in its first request: that import costs about 0.6 s of CPU, which on a
# busy machine made a fresh (or reloaded) process's first requests take seconds.
get_resolver().reverse_dict  # noqa: B018
