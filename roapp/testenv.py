"""pytest plugin loaded first (`-p roapp.testenv`): the environment the test settings are read with."""

import os

os.environ.setdefault("ROAPP_ALLOW_INSECURE_PLATFORM_URLS", "true")  # the fakes listen on 127.0.0.1
os.environ.setdefault("ROAPP_TASKS_SYNC", "true")  # django-q2 runs tasks inline
os.environ.setdefault("ROAPP_CREDENTIALS_KEY", "7zQ1oWc0n2iKqVZ9sGfH3bYx5Lr8Tt4uJmNdPaEwXkA=")
# Platforms registered in tests ping and deliver to this address; port 9 (discard) is closed, so a demo running
# on the default port 8000 never receives the tests' traffic. Tests that need the deliveries use a live server.
os.environ.setdefault("ROAPP_PUBLIC_URL", "http://127.0.0.1:9")
