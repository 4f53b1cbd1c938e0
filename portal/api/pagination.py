"""The API's page numbers (DEFAULT_PAGINATION_CLASS). Kept apart from portal.api.viewsets: DRF imports the pagination class
while it is still loading its viewsets."""

from django.utils.translation import gettext as _
from rest_framework import pagination
from rest_framework.exceptions import ValidationError


class PageNumberPagination(pagination.PageNumberPagination):
    """A page that is not a whole number from 1 up is bad input (400); only a page past the last one is a 404."""

    def get_page_number(self, request, paginator):
        number = super().get_page_number(request, paginator)
        text = str(number)
        if number not in self.last_page_strings and not (text.isascii() and text.isdigit() and int(text) >= 1):
            raise ValidationError({self.page_query_param: [_("เลขหน้าต้องเป็นจำนวนเต็มตั้งแต่ 1 ขึ้นไป")]})
        return number

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters
