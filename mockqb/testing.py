"""Helpers for writing qbXML in tests: build a request message set, read a response.

Used by the pytest plugin and by qbbridge's own tests; handy in any test that talks to the simulator.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from .qbxml import Element, parse_response


def message_set(*requests: str, on_error: str = "stopOnError", version: str = "16.0",
                **attrs: str) -> str:
    """Wrap request elements (XML text) in a qbXML request message set.

    ``attrs`` become QBXMLMsgsRq attributes (``newMessageSetID="X"``, ``oldMessageSetID="Y"``).
    """
    extra = "".join(f' {name}="{value}"' for name, value in attrs.items())
    body = "".join(requests)
    return (f'<?xml version="1.0" encoding="utf-8"?>\n<?qbxml version="{version}"?>\n'
            f'<QBXML><QBXMLMsgsRq onError="{on_error}"{extra}>{body}</QBXMLMsgsRq></QBXML>')


@dataclass(frozen=True)
class Answer:
    """One ``…Rs`` element of a response, with its status at hand."""

    element: Element

    @property
    def tag(self) -> str:
        return self.element.tag

    @property
    def code(self) -> int:
        return int(self.element.get("statusCode"))

    @property
    def severity(self) -> str:
        return self.element.get("statusSeverity")

    @property
    def message(self) -> str:
        return self.element.get("statusMessage")

    @property
    def request_id(self) -> str | None:
        return self.element.get("requestID")

    def rets(self) -> list[Element]:
        return [child for child in self.element if child.tag.endswith("Ret")]

    def ret(self) -> Element:
        (only,) = self.rets()
        return only

    def findtext(self, path: str) -> str | None:
        return self.element.findtext(path)


@dataclass(frozen=True)
class Response:
    """A parsed response message set."""

    root: Element

    @classmethod
    def parse(cls, response_xml: str) -> Response:
        return cls(parse_response(response_xml))

    @property
    def msgs(self) -> Element:
        return self.root.find("QBXMLMsgsRs")

    @property
    def answers(self) -> list[Answer]:
        return [Answer(child) for child in self.msgs]

    def __getitem__(self, index: int) -> Answer:
        return self.answers[index]

    def __len__(self) -> int:
        return len(self.msgs)

    @property
    def message_set_status(self) -> int | None:
        value = self.msgs.get("messageSetStatusCode")
        return None if value is None else int(value)

    def xml(self) -> str:
        return etree.tostring(self.root, encoding="unicode")
