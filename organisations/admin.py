from django.contrib import admin

from .admin_memberships import MembershipAdmin
from .models import Membership

admin.site.register(Membership, MembershipAdmin)
