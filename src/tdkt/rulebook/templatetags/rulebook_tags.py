from django import template

from tdkt.rulebook.services import missing_label, rulebook_text

register = template.Library()

register.filter("missing_label", missing_label)
# a rulebook text for people: setting keys → their labels, award codes → names, no references to notes
register.filter("rb_text", rulebook_text)
