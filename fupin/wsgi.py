import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fupin.settings")
application = get_wsgi_application()
# Every view module and the URL map now, while the web process starts and before it takes
# connections, not in its first request: that import costs about 0.6 s of CPU, which on a
# busy machine made a fresh (or reloaded) process's first requests take seconds.
get_resolver().reverse_dict  # noqa: B018
# What is loaded by now (Django, the modules, the URL map: about 180,000 objects) lives as
# long as the process: the garbage collector need not look at it again. A full collection
# then takes about 6 ms instead of 120 ms of CPU, a pause every thread of the process waits
# out (seconds when the machine is busy).
gc.collect()
gc.freeze()
