"""Turning a plugin off for a project asks first and says what happens; afterwards the plugin's
pages say it is off (not "no such project"); every admin save says it saved; the admin lists
show titles and names, not ids, slugs or locale codes."""

import re

ALPHA = {"client": "Alpha Bank", "name": "Alpha 信用卡", "status": "active", "timezone": "Asia/Shanghai",
         "channels": ["voice"]}


def test_turning_a_plugin_off_asks_first_then_its_pages_say_it_is_off(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "root")  # reads Chinese
    form = admin.get("/admin/projects/alpha").text
    assert re.search(r'value="incentives" checked> 激励</label>', form) and "> incentives<" not in form
    assert re.search(r"<label for=\"f-name\">名称</label>", form)

    kept = [x for x in fw.projects.get("alpha")["plugins"] if x != "incentives"]
    r = admin.post("/admin/projects/alpha", data={**ALPHA, "plugins": kept, "csrf_token": csrf(admin)})
    assert r.status_code == 200 and "incentives" in fw.projects.get("alpha")["plugins"]  # not yet
    warning = r.text[r.text.index('role="alert"'):]
    assert "保存将为 Alpha 信用卡 关闭激励" in warning
    assert warning.index('<details class="confirm">') < warning.index('name="confirm" value="off"')
    assert "数据仍然保留" in warning and "已记录的考核分不变" in warning
    assert re.search(r'value="incentives"\s*>', r.text)  # the form keeps what was typed: unticked

    r = admin.post("/admin/projects/alpha", data={**ALPHA, "plugins": kept, "confirm": "off",
                                                  "csrf_token": csrf(admin)})
    assert r.status_code == 303 and r.headers["location"] == "/admin/projects?saved=1"
    assert fw.projects.get("alpha")["plugins"] == kept
    assert "已保存。" in admin.get(r.headers["location"]).text

    off = admin.get("/p/alpha/incentives/")
    assert off.status_code == 404
    assert "激励" in off.text and "Alpha 信用卡" in off.text and "管理员" in off.text
    assert "没有项目" not in off.text
    supervisor = sign_in(app, "supervisor1")  # English
    off = supervisor.get("/p/alpha/incentives/boards")
    assert off.status_code == 404
    assert "Incentives is turned off for Alpha 信用卡" in off.text and "no project" not in off.text
    assert sign_in(app, "supervisor1").get("/p/nope/incentives/").status_code == 404


def test_turning_a_plugin_on_needs_no_confirmation(fresh, sign_in, csrf):
    fw, app = fresh
    fw.projects.disable("alpha", "incentives", "setup")
    admin = sign_in(app, "root")
    r = admin.post("/admin/projects/alpha", data={**ALPHA, "plugins": fw.projects.get("alpha")["plugins"]
                                                  + ["incentives"], "csrf_token": csrf(admin)})
    assert r.status_code == 303 and "incentives" in fw.projects.get("alpha")["plugins"]


def test_every_admin_save_says_it_saved(fresh, sign_in, csrf):
    fw, app = fresh
    admin = sign_in(app, "root")
    r = admin.post("/admin/users/victim", data={"name": "受害者", "roles": ["qa"], "projects": ["alpha"],
                                               "locale": "en", "csrf_token": csrf(admin)})
    assert r.status_code == 303 and "已保存。" in admin.get(r.headers["location"]).text
    assert "已保存。" not in admin.get("/admin/users").text  # only after a save
    r = admin.post("/admin/users/victim/toggle", data={"csrf_token": csrf(admin)})
    assert fw.users.get("victim")["disabled"] and "已保存。" in admin.get(r.headers["location"]).text
    r = admin.post("/admin/projects/new", data={"slug": "gamma", "client": "Gamma", "csrf_token": csrf(admin)})
    assert r.status_code == 303 and "已保存。" in admin.get(r.headers["location"]).text
    r = admin.post("/admin/projects/alpha/actions", data={"seen": "1", "csrf_token": csrf(admin)})
    assert r.status_code == 303 and "已保存。" in admin.get(r.headers["location"]).text


def test_the_admin_lists_show_languages_project_names_and_plugin_titles(fresh, sign_in):
    fw, app = fresh
    admin = sign_in(app, "root")
    users = admin.get("/admin/users").text
    row = re.search(r"<tr[^>]*>\s*<td><a href=\"/admin/users/qa1\">.*?</tr>", users, re.S).group(0)
    assert "<td>Alpha 信用卡</td>" in row and "<td>English</td>" in row
    assert ">zh_CN<" not in users and ">en<" not in users
    projects = admin.get("/admin/projects").text
    assert '<span class="tag">考勤</span><span class="tag">激励</span>' in projects
    form = admin.get("/admin/projects/alpha").text
    settings = form[form.index("/settings/"):]
    assert ">考勤</a>" in settings and ">激励</a>" in settings and ">incentives</a>" not in settings
