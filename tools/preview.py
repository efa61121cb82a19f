"""Draw Block Kit roughly as Slack draws it, to look at a message, a modal or the Home tab.

    python tools/preview.py blocks.json [--out preview.png]

`blocks.json` holds a message (`{"blocks": [...]}`), a view (`{"type": "modal", ...}`) or a
bare list of blocks. The HTML is written beside the PNG; the PNG is taken with headless
Chromium (`apt-get install chromium`) when it is installed. Slack has no public renderer and
Block Kit Builder needs a browser session on slack.com, so this is written by hand: it is a
reading aid for people, not a validator (tests/pure/blockkit.py validates).
"""

from __future__ import annotations

import argparse
import html
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

CSS = """
body{font:15px/1.46 -apple-system,'Segoe UI',Lato,'DejaVu Sans',sans-serif;color:#1d1c1d;
margin:0;padding:16px;background:#fff;width:760px}
.title{font-weight:900;font-size:18px;margin-bottom:8px;border-bottom:1px solid #ddd;
padding-bottom:8px}
.block{margin:6px 0}.header{font-weight:900;font-size:18px}.context{color:#616061;font-size:13px}
.divider{border-top:1px solid #ddd;margin:10px 0}
.btn{display:inline-block;border:1px solid #bbb;border-radius:4px;padding:3px 12px;
margin:4px 6px 0 0;font-weight:700;font-size:13px}
.primary{background:#007a5a;color:#fff;border-color:#007a5a}
.danger{color:#e01e5a;border-color:#e01e5a}.menu{color:#616061;font-weight:400}
.label{font-weight:700;margin-top:10px}.hint{color:#616061;font-size:13px}
.input{border:1px solid #bbb;border-radius:4px;padding:6px;color:#888;margin-top:4px}
code{background:#f4f4f4;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#c01343}
.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px}a{color:#1264a3}
blockquote{border-left:4px solid #ddd;margin:0;padding-left:8px}
"""


def mrkdwn(text: str) -> str:
    """Slack's mrkdwn as HTML: links, mentions, bold, italics, strikes, code, quotes."""
    # Slack's own escapes (&lt; &gt; &amp;) show as the characters they stand for.
    out = html.escape(text, quote=False)
    out = out.replace("&amp;lt;", "&lt;").replace("&amp;gt;", "&gt;").replace("&amp;amp;", "&amp;")
    out = re.sub(r"&lt;(https?://[^|&]+)\|([^&]*)&gt;", r'<a href="\1">\2</a>', out)
    out = re.sub(r"&lt;(https?://[^&]+)&gt;", r'<a href="\1">\1</a>', out)
    out = re.sub(r"&lt;@([UW][A-Z0-9]+)(?:\|[^&]*)?&gt;", r'<a href="#">@\1</a>', out)
    out = re.sub(r"&lt;#([CG][A-Z0-9]+)(?:\|([^&]*))?&gt;", r'<a href="#">#\2</a>', out)
    out = re.sub(r"&lt;!date\^\d+\^[^|]*\|([^&]*)&gt;", r"\1", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    out = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"<b>\1</b>", out)
    out = re.sub(r"(?<![\w])_([^_\n]+)_(?![\w])", r"<i>\1</i>", out)
    out = re.sub(r"(?<![\w])~([^~\n]+)~(?![\w])", r"<s>\1</s>", out)
    out = re.sub(r"^&gt; ?(.*)$", r"<blockquote>\1</blockquote>", out, flags=re.M)
    return out.replace("\n", "<br>")


def text(obj: dict[str, Any] | None) -> str:
    if not obj:
        return ""
    raw = str(obj.get("text", ""))
    return mrkdwn(raw) if obj.get("type") == "mrkdwn" else html.escape(raw)


def element(item: dict[str, Any]) -> str:
    kind = item.get("type")
    if kind == "button":
        return f'<span class="btn {item.get("style", "")}">{text(item.get("text"))}</span>'
    if kind == "overflow":
        options = " · ".join(text(option.get("text")) for option in item.get("options", []))
        return f'<span class="btn menu">⋯ {options}</span>'
    if kind in ("image",):
        return f'<span class="hint">[image: {html.escape(str(item.get("alt_text", "")))}]</span>'
    if kind in ("mrkdwn", "plain_text"):
        return text(item)
    if kind == "plain_text_input":
        shown = html.escape(str(item.get("initial_value", ""))) or text(item.get("placeholder"))
        return f'<span class="hint">{shown or "&nbsp;"}</span>'
    if kind in ("checkboxes", "radio_buttons"):
        chosen = {json.dumps(option) for option in item.get("initial_options", [])}
        boxes = [
            ("☑ " if json.dumps(option) in chosen else "☐ ") + text(option.get("text"))
            for option in item.get("options", [])
        ]
        return "<br>".join(boxes)
    if kind == "datepicker":
        return f'<span class="btn menu">📅 {item.get("initial_date", "Select a date")}</span>'
    placeholder = text(item.get("placeholder")) or kind or ""
    initial = item.get("initial_option") or {}
    shown = (
        text(initial.get("text")) if initial else html.escape(str(item.get("initial_value", "")))
    )
    return f'<span class="btn menu">{shown or placeholder} ▾</span>'


def block(item: dict[str, Any]) -> str:
    kind = item.get("type")
    if kind == "header":
        return f'<div class="block header">{text(item.get("text"))}</div>'
    if kind == "divider":
        return '<div class="divider"></div>'
    if kind == "context":
        parts = " ".join(element(part) for part in item.get("elements", []))
        return f'<div class="block context">{parts}</div>'
    if kind == "actions":
        return '<div class="block">' + "".join(map(element, item.get("elements", []))) + "</div>"
    if kind == "input":
        hint = f'<div class="hint">{text(item.get("hint"))}</div>' if item.get("hint") else ""
        optional = " <span class='hint'>(optional)</span>" if item.get("optional") else ""
        return (
            f'<div class="label">{text(item.get("label"))}{optional}</div>'
            f'<div class="input">{element(item.get("element") or {})}</div>{hint}'
        )
    if kind == "section":
        body = f"<div>{text(item.get('text'))}</div>"
        if item.get("fields"):
            cells = "".join(f"<div>{text(field)}</div>" for field in item["fields"])
            body += f'<div class="fields">{cells}</div>'
        if item.get("accessory"):
            body += f"<div>{element(item['accessory'])}</div>"
        return f'<div class="block">{body}</div>'
    if kind == "rich_text":
        return f'<div class="block hint">[rich text: {html.escape(json.dumps(item)[:200])}]</div>'
    return f'<div class="block hint">[{html.escape(str(kind))}]</div>'


def page(payload: Any) -> str:
    """The whole HTML page for a message, a view or a list of blocks."""
    title = ""
    if isinstance(payload, dict):
        if payload.get("type") in ("modal", "home"):
            title = text(payload.get("title")) or "Home"
        blocks = payload.get("blocks") or []
        if not blocks and payload.get("text"):
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": payload["text"]}}]
    else:
        blocks = payload
    heading = f'<div class="title">{title}</div>' if title else ""
    body = "".join(block(item) for item in blocks)
    head = f"<head><meta charset='utf-8'><style>{CSS}</style></head>"
    return f"<!doctype html><html>{head}<body>{heading}{body}</body></html>"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="JSON file: a message, a view or blocks")
    parser.add_argument("--out", type=Path, default=Path("preview.png"), help="PNG to write")
    args = parser.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8"))
    html_path = args.out.with_suffix(".html")
    html_path.write_text(page(source), encoding="utf-8")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print(f"wrote {html_path}; install chromium for a PNG", file=sys.stderr)
        return 0
    subprocess.run(  # noqa: S603  # our own arguments: the browser and two paths
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
            f"--screenshot={args.out.resolve()}",
            "--window-size=800,900",
            html_path.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    print(f"wrote {args.out} and {html_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
