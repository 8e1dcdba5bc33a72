from django import template

from tdkt.rulebook.services import missing_label

register = template.Library()

register.filter("missing_label", missing_label)
