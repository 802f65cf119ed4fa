"""The task engine's own admin page lists every organisation's task rows, unscoped: it is
taken off the admin. Jobs are read on their progress pages by who asked for them."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
