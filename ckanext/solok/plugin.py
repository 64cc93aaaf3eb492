"""Plugins of ckanext-solok; they only wire interfaces to the modules that do the work."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import flask
import yaml
from ckan.config.declaration import Declaration, Key
from ckan.lib.plugins import DefaultTranslation

from ckanext.solok import access, cli, facets, forms, helpers, i18n_audit, search, serving, views
from ckanext.solok.dcat import compat as dcat_compat
from ckanext.solok.dcat import views as dcat_views
from ckanext.solok.logic import action, validators
from ckanext.solok.workflow import plugin as workflow


def _declare(declaration: Declaration, package: str) -> None:
    text = files(package).joinpath("config_declaration.yaml").read_text(encoding="utf-8")
    declaration.load_dict(yaml.safe_load(text))


class SolokSearchPlugin(p.SingletonPlugin):
    """Built-in search on PostgreSQL instead of Solr."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)
    p.implements(p.IActions)

    def update_config(self, config: Any) -> None:
        search.install()

    def declare_config_options(self, declaration: Declaration, key: Key) -> None:
        _declare(declaration, "ckanext.solok.search")

    def get_actions(self) -> dict[str, Any]:
        return {"package_search": action.package_search}


class SolokPlugin(DefaultTranslation, p.SingletonPlugin):
    """The Solok portal: translations, templates, demo data and commands."""

    p.implements(p.IConfigurer)
    p.implements(p.IConfigDeclaration)
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

    def update_config(self, config: Any) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_public_directory(config, "public")
        forms.install()

    def declare_config_options(self, declaration: Declaration, key: Key) -> None:
        _declare(declaration, "ckanext.solok")

    def i18n_directory(self) -> str:
        return str(files("ckanext.solok.i18n"))

    def i18n_domain(self) -> str:
        return "ckanext-solok"

    def get_commands(self) -> list[Any]:
        return [cli.solok]

    def get_actions(self) -> dict[str, Any]:
        actions = {"package_create": action.package_create, "package_update": action.package_update}
        if "dcat_json_interface" in tk.config.get("ckan.plugins", ""):
            actions["dcat_datasets_list"] = dcat_compat.dcat_datasets_list
        return actions | workflow.get_actions()

    def get_validators(self) -> dict[str, Any]:
        return validators.get_validators()

    def get_helpers(self) -> dict[str, Any]:
        return helpers.get_helpers() | workflow.get_helpers()

    def dataset_facets(self, facets_dict: Any, package_type: str) -> Any:
        return facets.dataset_facets(facets_dict)

    def organization_facets(self, facets_dict: Any, organization_type: str, package_type: str | None) -> Any:
        return facets.organization_facets(facets_dict)

    def group_facets(self, facets_dict: Any, group_type: str, package_type: str | None) -> Any:
        return facets.dataset_facets(facets_dict)

    def after_dataset_search(self, search_results: dict[str, Any], search_params: dict[str, Any]) -> dict[str, Any]:
        return access.after_dataset_search(facets.label_facet_values(search_results))

    def after_dataset_show(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        access.after_dataset_show(context, pkg_dict)

    def get_blueprint(self) -> Any:
        return [
            access.blueprint(),
            dcat_views.blueprint(),
            workflow.blueprint(),
            views.stats_blueprint(),
            views.preview_blueprint(),
        ]

    def make_middleware(self, app: Any, config: Any) -> Any:
        if isinstance(app, flask.Flask):
            i18n_audit.install(app, config)
            serving.install(app)
        return app

    def after_dataset_create(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        workflow.after_create(context, pkg_dict)

    def after_dataset_update(self, context: Any, pkg_dict: dict[str, Any]) -> None:
        workflow.after_update(context, pkg_dict)

    def get_auth_functions(self) -> dict[str, Any]:
        return workflow.get_auth_functions()

    def get_dataset_labels(self, dataset_obj: Any) -> list[str]:
        return workflow.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: Any) -> list[str]:
        return workflow.user_labels(user_obj)
