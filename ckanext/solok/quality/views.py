"""The Walidata's confirmation form for personal data (``POST /dataset/<id>/pemeriksaan/data-pribadi``)."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request


def confirm(id: str) -> Any:
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        tk.get_action("solok_quality_confirm_personal_data")(
            {"user": user}, {"id": id, "note": request.form.get("note")}
        )
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.NotAuthorized as e:
        return tk.abort(403, str(e))
    except tk.ValidationError as e:
        tk.h.flash_error(" ".join(str(m) for messages in e.error_dict.values() for m in messages))
        return tk.redirect_to("solok_workflow.review", id=id)
    tk.h.flash_success(
        tk._("Your confirmation is kept in the audit trail; the dataset may now be submitted and published.")
    )
    return tk.redirect_to("solok_workflow.review", id=id)


def blueprint() -> Blueprint:
    bp = Blueprint("solok_quality", __name__)
    bp.add_url_rule("/dataset/<id>/pemeriksaan/data-pribadi", view_func=confirm, methods=["POST"], endpoint="confirm")
    return bp
