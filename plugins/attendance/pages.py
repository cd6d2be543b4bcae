"""The attendance plugin's web pages: the floor and the roster (`floor_pages`), shift types and
the holiday calendar (`setup_pages`), and requests, approvals, the handover log and reports
(`request_pages`)."""

from . import floor_pages, request_pages, setup_pages

ROUTES = [*floor_pages.ROUTES, *setup_pages.ROUTES, *request_pages.ROUTES]
