"""One way to print: a template rendered to HTML, then to PDF by WeasyPrint.

`pdf_bytes` serves both a single download in the request and the batches of a background job.
"""

from django.http import HttpResponse
from django.template.loader import render_to_string


def pdf_bytes(template: str, context: dict, request=None) -> bytes:
    from weasyprint import (
        HTML,  # imported on use: it loads Pango, which pages without PDFs don't need
    )

    html = render_to_string(template, context, request=request)
    # Print templates carry their own styles and no links: the base URL resolves nothing.
    return HTML(string=html, base_url="/").write_pdf()


def pdf_response(request, template: str, context: dict, filename: str) -> HttpResponse:
    response = HttpResponse(pdf_bytes(template, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
