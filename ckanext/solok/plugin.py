"""The ``solok`` plugin: wires CKAN's interfaces to the feature folders that do the work.

``solok_search`` (the PostgreSQL search backend) is its own plugin, in
``search/plugin.py``.
"""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import flask
from ckan.lib.plugins import DefaultTranslation

from ckanext.solok import cli, security, serving
from ckanext.solok.access import actions as access_actions
from ckanext.solok.access import auth as access_auth
from ckanext.solok.access import hooks as access_hooks
from ckanext.solok.access import index as access_index
from ckanext.solok.access import views as access_views
from ckanext.solok.dcat import compat as dcat_compat
from ckanext.solok.dcat import views as dcat_views
from ckanext.solok.portal import helpers as portal_helpers
from ckanext.solok.portal import i18n_audit, labels, preview
from ckanext.solok.portal import views as portal_views
from ckanext.solok.quality import actions as quality_actions
from ckanext.solok.quality import helpers as quality_helpers
from ckanext.solok.quality import link_jobs
from ckanext.solok.quality import views as quality_views
from ckanext.solok.sdi import facets, forms, last_step, validators
from ckanext.solok.sdi import helpers as sdi_helpers
from ckanext.solok.sdi import limits as dataset_limits
from ckanext.solok.workflow import validators as workflow_validators
from ckanext.solok.workflow import wiring as workflow


@tk.blanket.config_declarations
class SolokPlugin(DefaultTranslation, p.SingletonPlugin):
    """The Solok portal: SDI metadata, access classification, workflow, DCAT, pages, translations, demo data."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigurable)
    p.implements(p.ITranslation)
    p.implements(p.IClick)
    p.implements(p.IActions)
    p.implements(p.IValidators)
    p.implements(p.ITemplateHelpers)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IBlueprint)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IAuthFunctions)
    p.implements(p.IPermissionLabels)
    p.implements(p.IResourceController, inherit=True)

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        forms.install()
        tk.add_resource("assets", "solok")
        workflow.land_after_login(config)

    def configure(self, config: Any) -> None:
        security.configure(config)

    def i18n_directory(self) -> str:
        return str(files("ckanext.solok.i18n"))

    def i18n_domain(self) -> str:
        return "ckanext-solok"

    def get_commands(self) -> list[Any]:
        return [cli.solok]

    def get_actions(self) -> dict[str, Any]:
        actions = workflow.get_actions() | access_actions.get_actions() | quality_actions.get_actions()
        actions["package_create"] = security.uploads.checked(actions["package_create"])
        actions["package_update"] = security.uploads.checked(actions["package_update"])
        if "dcat_json_interface" in tk.config.get("ckan.plugins", ""):
            actions["dcat_datasets_list"] = dcat_compat.dcat_datasets_list
        return actions

    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators() | workflow_validators.get_validators()

    def get_helpers(self) -> dict[str, Any]:
        return (
            sdi_helpers.get_helpers()
            | portal_helpers.get_helpers()
            | workflow.get_helpers()
            | security.get_helpers()
            | quality_helpers.get_helpers()
        )

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return facets.dataset_facets(facets_dict)

    def organization_facets(self, facets_dict: Any, organization_type: str, package_type: str | None) -> Any:
        return facets.organization_facets(facets_dict)

    def group_facets(self, facets_dict: Any, group_type: str, package_type: str | None) -> Any:
        return facets.dataset_facets(facets_dict)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return access_hooks.after_dataset_search(labels.after_dataset_search(facets.label_facet_values(search_results)))

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        access_hooks.after_dataset_show(context, pkg_dict)
        labels.after_dataset_show(pkg_dict)

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return access_index.before_dataset_index(pkg_dict)

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        workflow.after_create(context, pkg_dict)
        link_jobs.after_save(pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        workflow.after_update(context, pkg_dict)
        link_jobs.after_save(pkg_dict)

    def after_dataset_delete(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        workflow.after_delete(context, pkg_dict)

    def get_blueprint(self) -> Any:
        return [
            dataset_limits.blueprint(),
            access_views.blueprint(),
            dcat_views.blueprint(),
            workflow.blueprint(),
            portal_views.stats_blueprint(),
            portal_views.preview_blueprint(),
            quality_views.blueprint(),
            security.blueprint(),
        ]

    def make_middleware(self, app: Any, config: Any) -> Any:
        if isinstance(app, flask.Flask):
            i18n_audit.install(app, config)
            serving.install(app)
            last_step.install(app)
        return app

    def get_auth_functions(self) -> dict[str, Any]:
        own = workflow.get_auth_functions() | quality_actions.get_auth_functions()
        return access_auth.combine(own, access_auth.get_auth_functions())

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return workflow.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return workflow.user_labels(user_obj)

    def after_resource_update(self, context: Any, resource: dict[str, Any]) -> None:
        preview.forget(resource["id"])

    def before_resource_delete(self, context: Any, resource: dict[str, Any], resources: list[dict[str, Any]]) -> None:
        preview.forget(resource["id"])
