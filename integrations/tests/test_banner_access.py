"""The store-health banner names stores and the platform's last error: only staff who may view stores see it (R1)."""

import pytest
from django.contrib.auth.models import Permission, User

from integrations.tests.factories import StoreFactory

pytestmark = pytest.mark.django_db

BANNER = 'id="store-health-banner"'


@pytest.fixture
def failing_store():
    problem = {"code": "failing", "count": 3, "error": "Kyiv Cases: HTTP 404 on graphql.json"}
    return StoreFactory(name="Kyiv Cases", healthy=False, health_problems=[problem])


def staff(*codenames):
    user = User.objects.create_user("clerk", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=codenames))
    return user


def test_R1_staff_without_the_view_store_permission_see_no_health_banner(client, failing_store):
    client.force_login(staff("view_order"))
    page = client.get("/admin/").content.decode()
    assert "RO back-office" in page and BANNER not in page
    assert "Kyiv Cases" not in page and "HTTP 404" not in page


def test_R1_staff_who_may_view_stores_see_the_health_banner(client, failing_store):
    client.force_login(staff("view_order", "view_store"))
    page = client.get("/admin/").content.decode()
    assert BANNER in page and "Orders from Kyiv Cases may not be arriving" in page and "HTTP 404" in page
