"""`{% load documents %}`: the Vietnamese formatting of official documents, the same functions the Word
templates use as Jinja filters (tdkt.core.documents.FILTERS).

    {{ place|place_date:day }}          Hà Nội, ngày 05 tháng 12 năm 2026
    {{ number|number_symbol:symbol }}   Số: 12/QĐ-VPB
    {{ issuer.name|upper_vi }}          VỤ THI ĐUA - KHEN THƯỞNG
    {{ day|dmy }}                       05/12/2026
    {{ names|join_vi }}                 A, B và C
    {{ people|names_with_dates }}       Nguyễn Văn An (05/12/1980) và Trần Thị Bình (01/02/1990)
"""

from django import template

from tdkt.core.documents import FILTERS

register = template.Library()

for _name, _function in FILTERS.items():
    register.filter(_name, _function)
