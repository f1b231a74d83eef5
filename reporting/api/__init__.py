"""The product's REST API under /api/v1/ (issue 21): returns in, ratings out.

Every endpoint acts as the user a token belongs to (or the browser's session), asking
assurance.access and the selectors exactly as the pages do: a token never has more rights
than its owner. The schema is drf-spectacular's, at /api/v1/schema/.
"""
