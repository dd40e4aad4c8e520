"""Local fake platforms: real HTTP servers speaking each platform's protocol, for tests, the demo and benchmarks.

A development app, never part of the product: production installs requirements.txt only, where this app, its
`fake_platform` command and graphql-core (which the fake Shopify needs) are absent, and no product module imports
it (roapp/tests/test_layering.py). The servers are listed in fakes/registry.py. Django loads this package while
its apps are not ready yet, so it imports nothing: the fakes import the product's models through its platforms.
"""
