"""The citizen's pages: home, statistics, most viewed; figures count only what the public may see."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from ckan.tests import factories, helpers

from ckanext.solok.portal import stats
from tests.helpers import FORM_PAGE3, SDI_DEFAULTS, sdi_form_up_to_page_3


@pytest.fixture
def catalogue(clean_db):
    """Public datasets of two OPDs, and hidden ones (private, tertutup, draft) of a third."""
    stats.reset_views()
    sysadmin = factories.SysadminWithToken()
    ctx = {"user": sysadmin["name"]}
    dinkes = factories.Organization(name="dinkes", title="Dinas Kesehatan")
    dukcapil = factories.Organization(name="disdukcapil", title="Dinas Dukcapil")
    rahasia = factories.Organization(name="opd-rahasia", title="OPD Rahasia")
    recent = (dt.date.today() - dt.timedelta(days=30)).isoformat()

    def create(name, org, **fields):
        data = dict(SDI_DEFAULTS, name=name, title=name.replace("-", " ").title(), owner_org=org["id"])
        data.update(fields)
        pkg = helpers.call_action("package_create", context=ctx, **data)
        helpers.call_action("resource_create", context=ctx, package_id=pkg["id"], url="http://x/t.csv", format="CSV")
        return pkg

    create("gizi-lama", dinkes, kategori="1.02", accrualPeriodicity="bulanan", periode_akhir="2024-12-31")
    create("gizi-baru", dinkes, kategori="1.02", accrualPeriodicity="tahunan", periode_akhir=recent)
    create("akta-insidental", dukcapil, kategori="2.12", accrualPeriodicity="insidental")
    create("rahasia-privat", rahasia, kategori="2.21", private=True)
    create("rahasia-tertutup", rahasia, kategori="2.21", accessRights="tertutup")
    helpers.call_action(
        "package_create",
        context=ctx,
        name="rahasia-draf",
        title="Rahasia Draf",
        owner_org=rahasia["id"],
        kategori="2.21",
        state="draft",
    )
    return sysadmin


HIDDEN = ("Rahasia Privat", "Rahasia Tertutup", "Rahasia Draf", "OPD Rahasia", "Kebudayaan")


def test_figures_count_only_public_datasets(catalogue):
    figures = stats.collect()
    assert figures.total == 3
    assert [(o["name"], o["count"]) for o in figures.by_org] == [("dinkes", 2), ("disdukcapil", 1)]
    assert [(t["name"], t["count"]) for t in figures.by_topic] == [("1.02", 2), ("2.12", 1)]
    assert figures.by_format == [{"name": "CSV", "title": "CSV", "count": 3}]
    assert figures.complete == 3 and figures.complete_percent == 100
    assert figures.growth[-1]["total"] == 3


def test_update_schedule_compliance(catalogue):
    figures = stats.collect()
    today = dt.date.today()
    assert figures.schedule_summary(today) == {"overdue": 1, "on_schedule": 1, "unscheduled": 1}
    [late] = figures.overdue(today)
    assert late.dataset["name"] == "gizi-lama"
    assert late.data_until == dt.date(2024, 12, 31)
    assert late.due == dt.date(2025, 1, 31) + dt.timedelta(days=90)


@pytest.mark.parametrize(
    ("fields", "until"),
    [
        ({"periode_akhir": "2025-06-30", "tahun_data": "2024"}, dt.date(2025, 6, 30)),
        ({"tahun_data": "2023"}, dt.date(2023, 12, 31)),
        ({"metadata_modified": "2026-02-03T10:00:00"}, dt.date(2026, 2, 3)),
        ({"periode_akhir": "bukan tanggal", "tahun_data": "dua ribu"}, None),
    ],
)
def test_the_data_period_decides_what_is_up_to_date(fields, until):
    assert stats.data_until(fields) == until
    schedule = stats.schedule({"accrualPeriodicity": "triwulanan", **fields}, grace_days=10)
    assert schedule.due == (until + stats.PERIODS["triwulanan"] + dt.timedelta(days=10) if until else None)


def test_home_page(app, catalogue):
    body = app.get("/").get_data(as_text=True)
    assert '<html lang="id"' in body
    assert '<label for="solok-home-search">Cari data Kota Solok</label>' in body
    hero = body.split('id="solok-topics"')[0]
    assert re.search(r"<strong>3</strong>\s*dataset", hero) and re.search(r"<strong>2</strong>\s*OPD", hero)
    topics = body.split('id="solok-topics"')[1].split("</section>")[0]
    assert "Kesehatan" in topics and "2 dataset" in topics and "kategori=1.02" in topics
    # The data first: the newest datasets (with their OPD) come before the topics.
    newest = body.split('id="solok-newest-title"')[1].split("</section>")[0]
    assert "Gizi Baru" in newest and "Dinas Kesehatan" in newest
    assert body.index('id="solok-newest-title"') < body.index('id="solok-topics"')
    # OPDs and figures have their own pages: no second list or chart of them here.
    assert 'href="/organization/"' in body and "organization=dinkes" not in body and "solok-bars" not in body
    assert "3 dari 3 dataset memiliki seluruh metadata wajib SDI." in body
    for hidden in HIDDEN:
        assert hidden not in body, hidden
    for image in re.findall(r"<img\b[^>]*>", body):
        assert re.search(r'\balt="[^"]+"', image), image


def test_home_page_in_english(app, catalogue):
    body = app.get("/en/").get_data(as_text=True)
    assert '<html lang="en"' in body
    assert "Search the data of Kota Solok" in body and "Health" in body and "2 datasets" in body


def test_statistics_page(app, catalogue):
    body = app.get("/statistik").get_data(as_text=True)
    assert "Statistik katalog" in body and "Pertumbuhan katalog" in body
    assert '<svg class="solok-column-chart"' in body and "<title>" in body
    overdue = body.split('id="solok-overdue"')[1].split("</table>")[0]
    assert "Gizi Lama" in overdue and "Bulanan" in overdue and "2024-12-31" in overdue
    assert "Gizi Baru" not in overdue and "Akta Insidental" not in overdue
    assert re.search(r"<strong>1</strong>\s*terlambat", body)
    for hidden in HIDDEN:
        assert hidden not in body, hidden
    english = app.get("/en/statistik").get_data(as_text=True)
    assert "Statistics of the catalogue" in english and "Monthly" in english


def test_topic_page_lists_the_urusan_of_public_datasets(app, catalogue):
    body = app.get("/topik").get_data(as_text=True)
    grid = body.split('class="solok-topic-grid')[1].split("</ul>")[0]
    assert "Kesehatan" in grid and "2 dataset" in grid and "kategori=1.02" in grid
    assert "kategori=2.12" in grid and "kategori=2.21" not in grid  # 2.21: only hidden datasets
    for hidden in HIDDEN:
        assert hidden not in body, hidden
    # The main navigation's "Topik" opens this page, not CKAN's (unused) groups.
    assert 'href="/topik"' in body and 'href="/group/"' not in body
    assert "Health" in app.get("/en/topik").get_data(as_text=True)


def test_topic_page_when_nothing_is_published(app, clean_db):
    assert "Belum ada dataset yang diterbitkan." in app.get("/topik").get_data(as_text=True)


def test_most_viewed_datasets(app, catalogue):
    assert "Belum ada dataset yang dilihat." in app.get("/").get_data(as_text=True)
    for _ in range(3):
        app.get("/dataset/gizi-baru")
    app.get("/dataset/akta-insidental")
    # Views of a private dataset are counted but never shown to the public.
    for _ in range(5):
        app.get("/dataset/rahasia-privat", headers={"Authorization": catalogue["token"]})
    app.get("/dataset/tidak-ada", status=404)
    viewed = app.get("/").get_data(as_text=True).split('id="solok-viewed-title"')[1].split("</section>")[0]
    assert viewed.index("Gizi Baru") < viewed.index("Akta Insidental")
    assert "3 kali dilihat" in viewed and "Rahasia" not in viewed
    assert [d["name"] for d in stats.most_viewed(5)] == ["gizi-baru", "akta-insidental"]


@pytest.mark.ckan_config("ckanext.solok.theme.primary_color", "red;}</style><script>alert(1)</script>")
@pytest.mark.ckan_config("ckanext.solok.theme.accent_color", "#123abc")
@pytest.mark.ckan_config("ckanext.solok.theme.tagline", "Data untuk warga Solok")
def test_theme_options(app, clean_db):
    body = app.get("/").get_data(as_text=True)
    assert "--solok-primary: #0b5d3b; --solok-accent: #123abc;" in body
    assert "alert(1)" not in body
    assert "Data untuk warga Solok" in body
    assert "/solok/solok.css" in body
    assert app.get("/solok/solok.css").status_code == 200


def test_a_form_page_with_an_error_stays_on_its_page(app, clean_db):
    post = sdi_form_up_to_page_3(app)
    body = post("/dataset/new/posyandu/3", dict(FORM_PAGE3, tahun_data="1800", _ckan_phase="3", save=""), 200)
    html = body.get_data(as_text=True)
    assert "Tahun Data" in html
    assert 'action="/dataset/new/posyandu/3"' in html
    again = post("/dataset/new/posyandu/3", dict(FORM_PAGE3, tahun_data="2024", _ckan_phase="3", save=""), 302)
    assert again.headers["Location"].endswith("/dataset/new/posyandu/4")


def test_facets_show_full_names(app, catalogue):
    body = app.get("/dataset/").get_data(as_text=True)
    assert '<span class="item-label">Administrasi Kependudukan dan Pencatatan Sipil</span>' in body
    assert "Administrasi Kependud..." not in body


@pytest.mark.ckan_config("ckan.search.rows_max", "2")
def test_figures_page_through_a_small_rows_max(catalogue):
    assert stats.collect().total == 3


def test_growth_chart_labels_never_crowd():
    from ckanext.solok.portal import charts

    months = [{"label": f"2025-{m:02d}", "total": m * 3} for m in range(1, 13)] + [
        {"label": f"2026-{m:02d}", "total": 36 + m} for m in range(1, 13)
    ]
    svg = str(charts.column_chart(months, "Pertumbuhan <katalog>"))
    assert svg.count("<rect") == 24 and svg.count('class="label"') == 8
    assert 'aria-label="Pertumbuhan &lt;katalog&gt;"' in svg and "<title>2026-12: 48</title>" in svg
    assert str(charts.column_chart([], "Kosong")).count("<rect") == 0
