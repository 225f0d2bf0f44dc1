"""Moving notification preferences from the web app to the letters domain keeps every choice."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("web", "0001_initial"), ("letters", "0003_notification_attempts")]
AFTER = [("web", "0002_notification_preference_moved"), ("letters", "0004_notification_preference")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the test database fully migrated for the tests that follow."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_a_person_who_switched_off_invitations_still_gets_none_after_the_move():
    old_apps = migrate(BEFORE)
    user = old_apps.get_model("auth", "User").objects.create(username="vera")
    old_apps.get_model("web", "NotificationPreference").objects.create(user_id=user.id, invited=False)

    new_apps = migrate(AFTER)

    moved = new_apps.get_model("letters", "NotificationPreference").objects.get(user_id=user.id)
    assert (moved.invited, moved.new_version, moved.reminder) == (False, True, True)
