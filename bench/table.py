"""A Markdown table with aligned columns and section rows."""

from __future__ import annotations


class Table:
    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.rows: list[list[str] | str] = []

    def section(self, title: str) -> None:
        self.rows.append(title)

    def row(self, *cells: str) -> None:
        cells = list(cells) + [""] * (len(self.header) - len(cells))
        self.rows.append(cells)

    def render(self) -> str:
        body = [r for r in self.rows if isinstance(r, list)]
        widths = [max(len(str(c)) for c in col) for col in zip(self.header, *body)]

        def line(cells: list[str]) -> str:
            return "| " + " | ".join(str(c).ljust(w) for c, w in zip(cells, widths)) + " |"

        out = [line(self.header), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
        for r in self.rows:
            out.append(line([f"**{r}**"] + [""] * (len(widths) - 1)) if isinstance(r, str) else line(r))
        return "\n".join(out)


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:,.0f} ms" if value >= 100 else f"{value:.1f} ms"


def secs(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def mb(value: float) -> str:
    return f"{value:,.0f} MB" if value >= 10 else f"{value:.1f} MB"


def verdict(ok: bool) -> str:
    return "met" if ok else "NOT met"
