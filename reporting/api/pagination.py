"""Pages of rows: 100 by default, `page_size` up to 1000, in each list's stable order."""

from rest_framework.pagination import PageNumberPagination


class ApiPagination(PageNumberPagination):
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000
