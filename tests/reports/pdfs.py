"""Reading a generated PDF back with pypdf, a Python dependency, so that the tests need no
system tools: its text per page (in layout mode, so that a table row stays on one line)
and its structure."""

from io import BytesIO

from pypdf import PdfReader


def page_texts(content: bytes, *, layout: bool = True) -> list[str]:
    """The text of each page, laid out as printed; layout=False reads it in pypdf's plain
    mode, which keeps a contents page whose leader dots layout mode loses the rest of."""
    mode = "layout" if layout else "plain"
    return [page.extract_text(extraction_mode=mode) for page in reader(content).pages]


def squeezed(text: str) -> str:
    """Runs of spaces as one, so that a row reads "Saldo 82" whatever the column gaps."""
    return "\n".join(" ".join(line.split()) for line in text.splitlines())


def reader(content: bytes) -> PdfReader:
    return PdfReader(BytesIO(content))


def structure_elements(content: bytes):
    """Every element of the PDF's tag tree, depth first."""
    root = reader(content).trailer["/Root"]["/StructTreeRoot"].get_object()
    stack = [root]
    while stack:
        element = stack.pop()
        kids = element.get("/K")
        if kids is None:
            continue
        kids = kids.get_object()
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object()
            if hasattr(kid, "get") and kid.get("/S") is not None:
                yield kid
                stack.append(kid)


def outline_titles(content: bytes) -> list[str]:
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader(content).outline)
    return titles


def pdf_through_job(client, period) -> bytes:
    """A draft report's PDF the way a user gets it: "PDF maken" (a POST that starts the
    job), the task engine's worker code runs the job, then the job's result is downloaded."""
    from django.urls import reverse

    from jobs.models import Job, JobStatus
    from jobs.testing import run_worker

    response = client.post(reverse("reports:make_pdf", args=[period.pk]))
    assert response.status_code == 302, response
    job = Job.all_jobs.get(pk=response.url.rstrip("/").rsplit("/", 1)[-1])
    run_worker()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, (job.status, job.message)
    download = client.get(job.result_url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    return download.content
