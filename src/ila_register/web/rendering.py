"""Templates to HTML responses: one Jinja environment, autoescaped, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from litestar import Response
from litestar.enums import MediaType

from ila_register.web.i18n import LANGUAGE_NAMES, UI_LANGUAGES, Messages, Translator

TEMPLATES = Path(__file__).with_name("templates")
RDF_LABELS = Path(__file__).with_name("rdf-labels.toml")


class Pages:
    """Renders the register's pages; every page knows its language and how to switch it."""

    def __init__(self) -> None:
        self.environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(
        self,
        template: str,
        t: Translator,
        *,
        page_title: str,
        language_url: Any,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **context: Any,
    ) -> Response[str]:
        html = self.html(template, t, page_title=page_title, language_url=language_url, **context)
        return Response(
            html,
            status_code=status_code,
            media_type=MediaType.HTML,
            headers={"Content-Language": t.language, "Vary": "Accept-Language", **(headers or {})},
        )

    def html(self, template: str, t: Translator, *, page_title: str, language_url: Any, **context: Any) -> str:
        """The page's HTML text (for answers built elsewhere, such as the API documentation)."""
        return self.environment.get_template(template).render(
            t=t,
            page_title=page_title,
            languages=UI_LANGUAGES,
            language_names=LANGUAGE_NAMES,
            language_url=language_url,
            **context,
        )


@dataclass(frozen=True, slots=True)
class Web:
    """What the pages need besides the services: templates and wording, loaded (and checked) once."""

    pages: Pages
    messages: Messages
    rdf_labels: Messages  # names of the linked data's properties and classes (rdf-labels.toml)

    @classmethod
    def load(cls) -> Web:
        return cls(Pages(), Messages.load(), Messages.load(RDF_LABELS))
