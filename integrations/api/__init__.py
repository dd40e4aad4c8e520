"""The read-only API of what the admin shows about stores (R56): stores with their import and health state,
waybills, import problems. Credentials and webhook secrets are never part of it.
"""
