/* The offline keying app: take a batch while online, key it with or without the line, send the
   keyings back in the background (on the "online" event, then with retries spaced 2, 4, 8 …
   60 s), one at a time, each with its idempotency key, so that a send cut halfway is simply sent
   again. A conflict is shown with both versions; nothing is overwritten. */
(function () {
  "use strict";
  var root = document.getElementById("ot-app");
  var S = window.HotichOffline;
  if (!root || !S) return;
  var W = document.getElementById("ot-words").dataset;
  var api = root.dataset.api;
  var $ = function (id) { return document.getElementById(id); };
  var current = null; // the entry being keyed {entry, form}
  var started = 0;
  var sending = false;
  var retryDelay = 2000;
  var retryTimer = null;
  var imageUrl = null;

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, function (_, k) { return values[k]; });
  }

  function say(text, kind) {
    var box = $("ot-message");
    box.textContent = text || "";
    box.className = "msg" + (kind ? " " + kind : "");
    box.hidden = !text;
  }

  function csrf() {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  function call(method, path, body) {
    var options = { method: method, credentials: "same-origin", headers: { "Accept": "application/json" } };
    if (body !== undefined) {
      options.headers["Content-Type"] = "application/json";
      options.headers["X-CSRFToken"] = csrf();
      options.body = JSON.stringify(body);
    }
    return fetch(api + path, options).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        return { status: response.status, data: data };
      });
    });
  }

  function showLine() {
    var line = $("ot-line");
    line.textContent = navigator.onLine ? line.dataset.online : line.dataset.offline;
    line.classList.toggle("ot-offline", !navigator.onLine);
  }

  /* the device and its key: registered once per browser, the key asked for each session; one
     unlock at a time, so the page's own at load and a click before it ends register one device */
  var unlocking = null;
  function unlock() {
    if (S.hasKey()) return Promise.resolve(true);
    if (!unlocking) {
      unlocking = askKey().then(
        function (ok) { unlocking = null; return ok; },
        function (error) { unlocking = null; throw error; });
    }
    return unlocking;
  }

  function askKey() {
    return S.restoreKey().then(function (key) {
      if (key) return true;
      if (!navigator.onLine) return false;
      var device = S.device();
      var asking = device
        ? call("GET", "devices/" + device + "/key")
        : call("POST", "devices", { name: root.dataset.deviceName });
      return asking.then(function (answer) {
        if (answer.status === 200 || answer.status === 201) {
          S.setDevice(answer.data.id);
          return S.setKey(answer.data.key).then(function () { return true; });
        }
        if (answer.status === 401 || (answer.status === 403 && answer.data.code !== "device_revoked")) {
          say(W.signin, "warning");
        } else {
          say(answer.data.message || W.locked, "error");
        }
        return false;
      }, function () { return false; });
    });
  }

  function refreshBadge() {
    return S.pendingCount().then(function (n) {
      var badge = $("ot-queue");
      badge.textContent = fmt(badge.dataset.template, { n: n });
      badge.dataset.count = String(n);
    });
  }

  function render() {
    return Promise.all([S.queue(), S.hasKey() ? S.entries() : Promise.resolve([])]).then(function (r) {
      var queue = r[0];
      var items = r[1];
      var stateOf = {};
      queue.forEach(function (row) { stateOf[row.entry] = row.state; });
      items.sort(function (a, b) { return a.entry.book - b.entry.book || a.entry.entry_number - b.entry.entry_number; });
      var body = $("ot-entries").querySelector("tbody");
      body.textContent = "";
      items.forEach(function (item) {
        var e = item.entry;
        var arb = e.kind === "arbitration";
        var state = stateOf[e.id] === "pending" ? (arb ? "decided" : "queued") : (stateOf[e.id] || (arb ? "arb" : "new"));
        var tr = document.createElement("tr");
        tr.dataset.entry = e.id;
        tr.dataset.state = state;
        [String(e.entry_number), e.book_label, String(e.page_number), W["state" + state.charAt(0).toUpperCase() + state.slice(1)]]
          .forEach(function (text) {
            var td = document.createElement("td");
            td.textContent = text;
            tr.appendChild(td);
          });
        var td = document.createElement("td");
        if (state === "new" || state === "arb") {
          var button = document.createElement("button");
          button.type = "button";
          button.className = "secondary";
          button.textContent = arb ? W.arbitrate : W.key;
          button.addEventListener("click", function () { if (arb) openArb(item); else openEntry(item); });
          td.appendChild(button);
        }
        tr.appendChild(td);
        body.appendChild(tr);
      });
      $("ot-entries").hidden = items.length === 0;
      $("ot-empty").hidden = items.length > 0;
      return renderConflicts(queue, items);
    }).then(refreshBadge);
  }

  function cell(row, text, header) {
    var c = document.createElement(header ? "th" : "td");
    if (header) c.scope = "row";
    c.textContent = text;
    row.appendChild(c);
  }

  function shown(value) {
    if (!value) return "";
    var marker = value.m ? " [" + (value.m === "illegible" ? W.illegible : W.blank) + "]" : "";
    return (value.v || "") + marker;
  }

  function renderConflicts(queue, items) {
    var list = $("ot-conflict-list");
    list.textContent = "";
    var troubled = queue.filter(function (row) { return row.state === "conflict" || row.state === "invalid"; });
    $("ot-conflicts").hidden = troubled.length === 0;
    var forms = {};
    items.forEach(function (item) { forms[item.entry.id] = item; });
    if (!S.hasKey()) return Promise.resolve();
    return Promise.all(troubled.map(function (row) {
      return Promise.all([S.keying(row), S.answer(row)]).then(function (r) {
        var keying = r[0];
        var answer = r[1] || {};
        var item = forms[row.entry];
        var box = document.createElement("div");
        box.className = "ot-conflict";
        box.dataset.entry = row.entry;
        var title = document.createElement("h3");
        title.textContent = keying.kind === "intake" ? keying.title : fmt(W.entry, { n: keying.entry_number });
        box.appendChild(title);
        var p = document.createElement("p");
        p.className = "msg " + (row.state === "conflict" ? "warning" : "error");
        p.textContent = answer.message || "";
        box.appendChild(p);
        var server = answer.server || {};
        if (server.status_label) {
          var s = document.createElement("p");
          s.textContent = fmt(W.serverStatus, { s: server.status_label });
          box.appendChild(s);
        }
        var table = document.createElement("table");
        var head = document.createElement("tr");
        [W.field, W.mine, W.server].forEach(function (t) { cell(head, t, false); });
        table.appendChild(head);
        var labels = {};
        if (item) (item.form || []).forEach(function (f) { labels[f.name] = f.label; });
        var known = server.values && Object.keys(server.values).length;
        if (keying.kind === "arbitration") arbitrationRows(table, keying, item, server, labels);
        else Object.keys(keying.values).forEach(function (name) {
          var theirs = (server.values || {})[name];
          // the fields either version has a value for
          if (!shown(keying.values[name]) && !shown(theirs)) return;
          var tr = document.createElement("tr");
          if (theirs && shown(theirs) !== shown(keying.values[name])) tr.className = "ot-differs";
          cell(tr, labels[name] || name, true);
          cell(tr, shown(keying.values[name]));
          cell(tr, known ? shown(theirs) : W.hidden);
          table.appendChild(tr);
        });
        if (row.state === "conflict") box.appendChild(table);
        var actions = document.createElement("p");
        var dismiss = document.createElement("button");
        dismiss.type = "button";
        dismiss.className = "secondary";
        dismiss.textContent = W.dismiss;
        dismiss.addEventListener("click", function () {
          S.dequeue(row.key).then(function () { return S.dropEntry(row.entry); }).then(render);
        });
        actions.appendChild(dismiss);
        if (row.state === "invalid" && keying.kind === "intake") {
          var again = document.createElement("button");
          again.type = "button";
          again.textContent = W.fix;
          again.addEventListener("click", function () {
            var kept = {};
            (keying.files || []).forEach(function (f) { kept[f.doc_key] = f; });
            S.dequeue(row.key).then(function () {
              openIntake(keying.procedure, Object.assign({ contact: keying.contact }, keying.form_data), kept);
              // every field the server refused, else the one it named
              var refused = (answer.errors || []).map(function (e) {
                return { name: e.loc[e.loc.length - 1], message: e.msg };
              });
              if (!refused.length) refused = [{ name: answer.field, message: answer.message }];
              intakeErrors(refused);
              return render();
            });
          });
          actions.appendChild(again);
        }
        if (row.state === "invalid" && item) {
          var fix = document.createElement("button");
          fix.type = "button";
          fix.textContent = W.fix;
          fix.addEventListener("click", function () {
            S.dequeue(row.key).then(function () {
              if (keying.kind === "arbitration") openArb(item, keying.decisions); else openEntry(item, keying.values);
              return render();
            });
          });
          actions.appendChild(fix);
        }
        box.appendChild(actions);
        list.appendChild(box);
      });
    }));
  }

  /* an arbitration that cannot be applied: the device's choice beside what the server holds
     (the value decided, or both keyings as they are now) */
  function arbitrationRows(table, keying, item, server, labels) {
    var mine = {};
    ((item && item.entry.decisions) || []).forEach(function (d) {
      labels[d.field] = d.label;
      mine[d.field] = d;
    });
    var now = {};
    (server.decisions || []).forEach(function (d) { now[d.field] = d.first_shown + " / " + d.second_shown; });
    Object.keys(keying.decisions).forEach(function (name) {
      var sent = keying.decisions[name];
      var d = mine[name] || {};
      var text = sent.choice === "third" ? shown(sent.third) : (d[sent.choice + "_shown"] || "");
      var theirs = server.values && server.values[name] ? shown(server.values[name]) : (now[name] || "");
      var tr = document.createElement("tr");
      if (theirs !== text) tr.className = "ot-differs";
      cell(tr, labels[name] || name, true);
      cell(tr, text);
      cell(tr, theirs);
      table.appendChild(tr);
    });
  }

  /* deciding one entry in arbitration: per differing field, the first keying, the second or a
     third value */
  function showImage(id, img) {
    if (imageUrl) URL.revokeObjectURL(imageUrl);
    imageUrl = null;
    S.image(id).then(function (bytes) {
      if (!bytes) return;
      imageUrl = URL.createObjectURL(new Blob([bytes], { type: "image/jpeg" }));
      $(img).src = imageUrl;
    });
  }

  function choiceRadio(name, value, text, checked) {
    var label = document.createElement("label");
    label.className = "ot-choice";
    var radio = document.createElement("input");
    radio.type = "radio";
    radio.name = name + "__choice";
    radio.value = value;
    radio.checked = !!checked;
    label.appendChild(radio);
    label.appendChild(document.createTextNode(" " + text));
    return label;
  }

  function openArb(item, previous) {
    current = item;
    $("ot-key").hidden = true;
    var e = item.entry;
    $("ot-arb-title").textContent = fmt(W.arbTitle, { n: e.entry_number });
    var fields = $("ot-arb-fields");
    fields.textContent = "";
    var form = {};
    (item.form || []).forEach(function (f) { form[f.name] = f; });
    (e.decisions || []).forEach(function (d, i) {
      var before = (previous || {})[d.field] || {};
      var box = document.createElement("fieldset");
      box.className = "ot-field";
      box.dataset.name = d.field;
      var legend = document.createElement("legend");
      legend.textContent = d.label;
      box.appendChild(legend);
      box.appendChild(choiceRadio(d.field, "first", W.first + ": " + d.first_shown, before.choice === "first"));
      box.appendChild(choiceRadio(d.field, "second", W.second + ": " + d.second_shown, before.choice === "second"));
      box.appendChild(choiceRadio(d.field, "third", W.third, before.choice === "third"));
      var third = field(form[d.field] || { name: d.field, label: d.label, kind: "text", max_length: 200 }, "arb-" + i, before.third);
      third.querySelector("label").className = "visually-hidden";
      box.appendChild(third);
      fields.appendChild(box);
    });
    var agreed = $("ot-arb-agreed");
    agreed.textContent = "";
    (e.agreed || []).forEach(function (pair) {
      var dt = document.createElement("dt");
      dt.textContent = pair[0];
      var dd = document.createElement("dd");
      dd.textContent = pair[1];
      agreed.appendChild(dt);
      agreed.appendChild(dd);
    });
    $("ot-arb-agreed-box").hidden = !(e.agreed || []).length;
    $("ot-arb").hidden = false;
    showImage(e.id, "ot-arb-image");
    $("ot-arb").scrollIntoView({ block: "start" });
  }

  if ($("ot-arb-form")) {
    $("ot-arb-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (!current || !S.hasKey()) { say(W.locked, "warning"); return; }
      var form = $("ot-arb-form");
      var e = current.entry;
      var decisions = {};
      var missing = null;
      (e.decisions || []).forEach(function (d) {
        var picked = form.querySelector('input[name="' + d.field + '__choice"]:checked');
        if (!picked) { missing = missing || d; return; }
        decisions[d.field] = {
          choice: picked.value,
          third: picked.value === "third" ? { v: form.elements[d.field].value, m: form.elements[d.field + "__m"].value } : null,
        };
      });
      if (missing) { say(fmt(W.choose, { label: missing.label }), "error"); return; }
      var change = { kind: "arbitration", entry: e.id, entry_number: e.entry_number, base_version: e.version, decisions: decisions };
      S.enqueue(newKey(), e.id, change).then(function () {
        say(fmt(W.saved, { n: e.entry_number }), "success");
        $("ot-arb").hidden = true;
        current = null;
        return render();
      }).then(function () {
        var next = document.querySelector('#ot-entries tr[data-state="arb"] button');
        if (next) next.click();
        send();
      });
    });
    $("ot-arb-close").addEventListener("click", function () { $("ot-arb").hidden = true; current = null; });
  }

  /* the desk's paper dossiers: the forms of the unit's procedures taken while online, a dossier
     filled in offline and queued (encrypted) with the moment the desk received it */
  var intake = { forms: null, procedure: null, files: {} };

  function b64(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = "";
    for (var i = 0; i < bytes.length; i += 0x8000) {
      out += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    }
    return btoa(out);
  }

  function fillProcedures() {
    var select = $("ot-procedure");
    if (!select || !intake.forms) return;
    var chosen = select.value;
    while (select.options.length > 1) select.remove(1);
    intake.forms.procedures.forEach(function (p) {
      var opt = document.createElement("option");
      opt.value = p.code;
      opt.textContent = p.name;
      select.appendChild(opt);
    });
    select.value = chosen;
  }

  function intakeField(f, value) {
    var wrap = document.createElement("div");
    wrap.className = "field";
    var label = document.createElement("label");
    label.htmlFor = "ot-i-" + f.name;
    label.textContent = f.label + (f.required ? " *" : "");
    wrap.appendChild(label);
    var input;
    if (f.type === "choice") {
      input = document.createElement("select");
      [["", "— " + W.chooseOption + " —"]].concat(f.choices || []).forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[1];
        input.appendChild(opt);
      });
    } else if (f.type === "textarea") {
      input = document.createElement("textarea");
      input.rows = 3;
    } else {
      input = document.createElement("input");
      if (f.type === "date") { input.inputMode = "numeric"; input.placeholder = "dd/mm/yyyy"; }
      if (f.type === "phone") input.type = "tel";
      if (f.type === "email") input.type = "email";
      if (f.type === "number" || f.type === "personal_id") input.inputMode = "numeric";
    }
    if (f.max_length) input.maxLength = f.max_length;
    input.id = "ot-i-" + f.name;
    input.name = f.name;
    input.required = !!f.required;
    input.value = value || "";
    wrap.appendChild(input);
    if (f.help) {
      var help = document.createElement("p");
      help.className = "help";
      help.textContent = f.help;
      wrap.appendChild(help);
    }
    return wrap;
  }

  /* every invalid field of the intake form at once: a summary at the top (focused, each line a
     link to its field) and the message under each field; true when there was any */
  function intakeErrors(errors) {
    var form = $("ot-intake-form");
    Array.prototype.forEach.call(form.querySelectorAll(".ot-field-error"), function (n) { n.remove(); });
    Array.prototype.forEach.call(form.querySelectorAll("[aria-invalid]"), function (n) {
      n.removeAttribute("aria-invalid");
      n.removeAttribute("aria-describedby");
    });
    var summary = $("ot-intake-errors");
    if (summary) summary.remove();
    if (!errors.length) return false;
    say("", "");
    summary = document.createElement("div");
    summary.id = "ot-intake-errors";
    summary.className = "msg error";
    summary.setAttribute("role", "alert");
    summary.tabIndex = -1;
    var title = document.createElement("p");
    title.textContent = fmt(W.fixFields, { n: errors.length });
    summary.appendChild(title);
    var list = document.createElement("ul");
    errors.forEach(function (e) {
      var input = form.elements[e.name];
      var li = document.createElement("li");
      if (input && input.id) {
        var link = document.createElement("a");
        link.href = "#" + input.id;
        link.textContent = e.message;
        link.addEventListener("click", function (ev) { ev.preventDefault(); input.focus(); });
        li.appendChild(link);
        var note = document.createElement("p");
        note.className = "ot-field-error";
        note.id = input.id + "-error";
        note.textContent = e.message;
        input.after(note);
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", note.id);
      } else {
        li.textContent = e.message;
      }
      list.appendChild(li);
    });
    summary.appendChild(list);
    form.prepend(summary);
    summary.focus();
    return true;
  }

  function openIntake(code, values, files) {
    var p = (intake.forms ? intake.forms.procedures : []).filter(function (x) { return x.code === code; })[0];
    intakeErrors([]);
    intake.procedure = p || null;
    intake.files = files || {};
    var form = $("ot-intake-form");
    var box = $("ot-intake-fields");
    box.textContent = "";
    form.hidden = !p;
    if (!p) return;
    $("ot-procedure").value = code;
    values = values || {};
    $("ot-contact").value = values.contact || "";
    ((p.form || {}).sections || []).forEach(function (section) {
      var set = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = section.title;
      set.appendChild(legend);
      section.fields.forEach(function (f) { set.appendChild(intakeField(f, values[f.name])); });
      box.appendChild(set);
    });
    if ((p.documents || []).length) {
      var docs = document.createElement("fieldset");
      var legend = document.createElement("legend");
      legend.textContent = W.papers;
      docs.appendChild(legend);
      p.documents.forEach(function (doc) {
        var wrap = document.createElement("div");
        wrap.className = "field";
        var label = document.createElement("label");
        label.htmlFor = "ot-file-" + doc.key;
        label.textContent = doc.name + (doc.required ? " *" : "");
        wrap.appendChild(label);
        var input = document.createElement("input");
        input.type = "file";
        input.id = "ot-file-" + doc.key;
        input.name = "file_" + doc.key;
        input.accept = "application/pdf,image/jpeg,image/png,image/tiff";
        wrap.appendChild(input);
        if (intake.files[doc.key]) {
          var kept = document.createElement("p");
          kept.className = "help";
          kept.textContent = fmt(W.kept, { name: intake.files[doc.key].name });
          wrap.appendChild(kept);
        }
        docs.appendChild(wrap);
      });
      box.appendChild(docs);
    }
  }

  function readFile(file) {
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onload = function () { resolve(reader.result); };
      reader.onerror = function () { reject(reader.error); };
      reader.readAsArrayBuffer(file);
    });
  }

  if ($("ot-intake")) {
    $("ot-take-forms").addEventListener("click", function () {
      if (!navigator.onLine) { say(W.needLine, "warning"); return; }
      unlock().then(function (ok) {
        if (!ok) return null;
        return call("GET", "intake/forms");
      }).then(function (answer) {
        if (!answer) return;
        if (answer.status !== 200) { say(answer.data.message || W.needLine, "error"); return; }
        intake.forms = answer.data;
        return S.putForms(answer.data).then(function () {
          fillProcedures();
          say(fmt(W.formsTaken, { n: answer.data.procedures.length, unit: answer.data.unit }), "success");
        });
      }).catch(function () { say(W.needLine, "error"); });
    });
    $("ot-procedure").addEventListener("change", function () { openIntake($("ot-procedure").value); });
    $("ot-intake-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var p = intake.procedure;
      if (!p || !S.hasKey()) { say(W.locked, "warning"); return; }
      var form = $("ot-intake-form");
      var values = {};
      var missing = [];
      ((p.form || {}).sections || []).forEach(function (section) {
        section.fields.forEach(function (f) {
          values[f.name] = form.elements[f.name].value.trim();
          if (f.required && !values[f.name]) missing.push({ name: f.name, message: fmt(W.required, { label: f.label }) });
        });
      });
      (p.documents || []).forEach(function (doc) {
        var input = form.elements["file_" + doc.key];
        var chosen = input && input.files && input.files.length;
        if (doc.required && !chosen && !intake.files[doc.key]) {
          missing.push({ name: "file_" + doc.key, message: fmt(W.missingPaper, { name: doc.name }) });
        }
      });
      if (intakeErrors(missing)) return;
      var receivedAt = new Date().toISOString();
      var reading = (p.documents || []).map(function (doc) {
        var input = form.elements["file_" + doc.key];
        var file = input && input.files && input.files[0];
        if (!file) return Promise.resolve(intake.files[doc.key] || null);
        return readFile(file).then(function (buffer) {
          return { doc_key: doc.key, name: file.name, data: b64(buffer) };
        });
      });
      Promise.all(reading).then(function (files) {
        var applicant = values[(p.form || {}).applicant] || "";
        var change = {
          kind: "intake",
          procedure: p.code,
          title: p.name + (applicant ? " · " + applicant : ""),
          form_data: values,
          contact: $("ot-contact").value.trim(),
          received_at: receivedAt,
          files: files.filter(function (f) { return !!f; }),
        };
        var key = newKey();
        return S.enqueue(key, "hs-" + key, change).then(function () {
          say(fmt(W.intakeSaved, { name: change.title, at: new Date(receivedAt).toLocaleString("vi-VN") }), "success");
          form.reset();
          openIntake("");
          $("ot-procedure").value = "";
          return render();
        }).then(send);
      });
    });
  }

  /* keying one entry */
  function field(f, index, value) {
    var wrap = document.createElement("div");
    wrap.className = "ot-field";
    wrap.dataset.name = f.name;
    var label = document.createElement("label");
    label.htmlFor = "ot-f-" + index;
    label.textContent = f.label;
    wrap.appendChild(label);
    var row = document.createElement("div");
    row.className = "ot-row";
    var input;
    if (f.kind === "sex" || f.kind === "choice") {
      input = document.createElement("select");
      var options = f.kind === "sex" ? [["M", W.male], ["F", W.female]] : f.choices;
      [["", "—"]].concat(options).forEach(function (o) {
        var opt = document.createElement("option");
        opt.value = o[0];
        opt.textContent = o[1];
        input.appendChild(opt);
      });
    } else {
      input = document.createElement("input");
      input.maxLength = f.max_length;
      if (f.kind === "date") input.inputMode = "numeric";
    }
    input.id = "ot-f-" + index;
    input.name = f.name;
    input.value = (value && value.v) || "";
    row.appendChild(input);
    var marker = document.createElement("select");
    marker.name = f.name + "__m";
    marker.className = "ot-marker";
    marker.setAttribute("aria-label", f.label + ": " + W.legible + " / " + W.illegible + " / " + W.blank);
    [["", W.legible], ["illegible", W.illegible], ["blank", W.blank]].forEach(function (o) {
      var opt = document.createElement("option");
      opt.value = o[0];
      opt.textContent = o[1];
      marker.appendChild(opt);
    });
    marker.value = (value && value.m) || "";
    row.appendChild(marker);
    wrap.appendChild(row);
    return wrap;
  }

  function openEntry(item, values) {
    current = item;
    if ($("ot-arb")) $("ot-arb").hidden = true;
    started = Date.now();
    var e = item.entry;
    $("ot-key-title").textContent = fmt(W.title, { n: e.entry_number });
    var fields = $("ot-fields");
    fields.textContent = "";
    (item.form || []).forEach(function (f, i) {
      fields.appendChild(field(f, i, (values || {})[f.name] || (e.prefill && e.prefill[f.name] ? { v: e.prefill[f.name] } : null)));
    });
    $("ot-key").hidden = false;
    showImage(e.id, "ot-image");
    $("ot-key").scrollIntoView({ block: "start" });
    var first = fields.querySelector("input, select");
    if (first) first.focus({ preventScroll: true });
  }

  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    var b = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }

  $("ot-form").addEventListener("submit", function (ev) {
    ev.preventDefault();
    if (!current || !S.hasKey()) { say(W.locked, "warning"); return; }
    var values = {};
    (current.form || []).forEach(function (f) {
      var form = $("ot-form");
      values[f.name] = { v: form.elements[f.name].value, m: form.elements[f.name + "__m"].value };
    });
    var e = current.entry;
    var keying = {
      entry: e.id,
      entry_number: e.entry_number,
      base_version: e.version,
      values: values,
      started_at: new Date(started).toISOString(),
    };
    S.enqueue(newKey(), e.id, keying).then(function () {
      say(fmt(W.saved, { n: e.entry_number }), "success");
      $("ot-key").hidden = true;
      current = null;
      return render();
    }).then(function () {
      var next = document.querySelector('#ot-entries tr[data-state="new"] button');
      if (next) next.click();
      send();
    });
  });
  // the shortcuts of the online keying screen: Ctrl+Enter saves; Alt+Shift+K illegible,
  // Alt+Shift+B blank, Alt+Shift+X legible (the field being keyed)
  $("ot-form").addEventListener("keydown", function (ev) {
    if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) {
      ev.preventDefault();
      $("ot-form").requestSubmit();
      return;
    }
    if (!(ev.altKey && ev.shiftKey)) return;
    var value = { KeyK: "illegible", KeyB: "blank", KeyX: "" }[ev.code];
    var wrap = ev.target.closest ? ev.target.closest(".ot-field") : null;
    if (value === undefined || !wrap) return;
    ev.preventDefault();
    wrap.querySelector(".ot-marker").value = value;
  });
  $("ot-close").addEventListener("click", function () { $("ot-key").hidden = true; current = null; });

  /* taking a batch */
  function take(what) {
    if (!navigator.onLine) { say(W.needLine, "warning"); return; }
    var size = $("ot-size").value;
    unlock().then(function (ok) {
      if (!ok) return null;
      return Promise.all([call("GET", what + "?size=" + encodeURIComponent(size)), S.entryIds(), S.queue()]);
    }).then(function (r) {
      if (!r) return;
      var answer = r[0];
      if (answer.status !== 200) { say(answer.data.message || W.needLine, "error"); return; }
      var have = {};
      r[1].forEach(function (id) { have[id] = true; });
      r[2].forEach(function (row) { have[row.entry] = true; });
      var fresh = answer.data.entries.filter(function (e) { return !have[e.id]; });
      if (!fresh.length) { say(W.nothing, ""); return render(); }
      // one image after another: a weak line is not flooded
      return fresh.reduce(function (chain, e) {
        return chain.then(function () {
          return fetch(e.image, { credentials: "same-origin" }).then(function (response) {
            if (!response.ok) throw new Error(String(response.status));
            return response.arrayBuffer();
          }).then(function (bytes) {
            return S.putEntry(e, answer.data.forms[e.event_type], bytes);
          });
        });
      }, Promise.resolve()).then(function () {
        say(fmt(W.taken, { n: fresh.length }), "success");
        return render();
      });
    }).catch(function () { say(W.needLine, "error"); return render(); });
  }
  $("ot-take").addEventListener("submit", function (ev) { ev.preventDefault(); take("batch"); });
  if ($("ot-take-arb")) $("ot-take-arb").addEventListener("click", function () { take("arbitration"); });

  /* sending: one keying at a time, oldest first; resumable (idempotency keys) */
  /* where the browser has Background Sync, the service worker sends what waits when the line
     returns, even with this page closed */
  function syncLater() {
    if (!navigator.serviceWorker) return;
    navigator.serviceWorker.ready.then(function (registration) {
      if (registration.sync) return registration.sync.register("hotich-offline-send");
    }).catch(function () { /* the page sends when it opens */ });
  }

  function retryLater() {
    syncLater();
    clearTimeout(retryTimer);
    retryTimer = setTimeout(send, retryDelay);
    retryDelay = Math.min(retryDelay * 2, 60000);
  }

  function send() {
    if (!navigator.onLine) syncLater();
    if (sending || !navigator.onLine) return Promise.resolve();
    sending = true;
    var sent = 0;
    var finish = function () { sending = false; if (sent) say(fmt(W.sent, { n: sent }), "success"); return render(); };
    return unlock().then(function (ok) {
      if (!ok) return false;
      return S.queue();
    }).then(function (rows) {
      if (!rows) return;
      var pending = rows.filter(function (row) { return row.state === "pending"; });
      return pending.reduce(function (chain, row) {
        return chain.then(function (go) {
          if (go === false) return false;
          return S.keying(row).then(function (keying) {
            if (keying.kind === "intake") {
              return call("POST", "dossiers", {
                device: S.device(),
                idempotency_key: row.key,
                procedure: keying.procedure,
                form_data: keying.form_data,
                contact: keying.contact,
                received_at: keying.received_at,
                files: keying.files,
              });
            }
            if (keying.kind === "arbitration") {
              return call("POST", "decisions", {
                device: S.device(),
                idempotency_key: row.key,
                entry: keying.entry,
                base_version: keying.base_version,
                decisions: keying.decisions,
              });
            }
            return call("POST", "keyings", {
              device: S.device(),
              idempotency_key: row.key,
              entry: keying.entry,
              base_version: keying.base_version,
              values: keying.values,
              started_at: keying.started_at,
            });
          }).then(function (answer) {
            if (answer.status === 201 && answer.data.code) {
              sent += 1;
              retryDelay = 2000;
              var done = document.createElement("li");
              done.textContent = fmt(W.intakeSent, { code: answer.data.code, due: answer.data.due_date ? answer.data.due_date.split("-").reverse().join("/") : "" });
              if ($("ot-intake-done")) $("ot-intake-done").appendChild(done);
              return S.dequeue(row.key);
            }
            if (answer.status === 200) {
              sent += 1;
              retryDelay = 2000;
              return S.dequeue(row.key).then(function () { return S.dropEntry(row.entry); });
            }
            if (answer.status === 409) return S.mark(row, "conflict", answer.data);
            if (answer.status === 400 || answer.status === 404 || answer.status === 422) {
              return S.mark(row, "invalid", answer.data);
            }
            if (answer.status === 401 || (answer.status === 403 && answer.data.code !== "device_revoked")) {
              say(W.signin, "warning");
              return false;
            }
            if (answer.status === 403) { say(answer.data.message, "error"); return false; }
            retryLater();
            return false;
          }, function () { retryLater(); return false; });
        });
      }, Promise.resolve(true));
    }).then(finish, function () { sending = false; retryLater(); return render(); });
  }

  $("ot-send").addEventListener("click", function () { retryDelay = 2000; send(); });
  window.addEventListener("online", function () { showLine(); retryDelay = 2000; send(); });
  window.addEventListener("offline", showLine);

  if (navigator.serviceWorker) {
    navigator.serviceWorker.register(root.dataset.sw).catch(function () { /* the app works online without it */ });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (event.data === "hotich-offline-sent") render();
    });
  }
  showLine();
  unlock().then(function (ok) {
    if (!ok && !navigator.onLine) say(W.locked, "warning");
    if (ok && $("ot-intake")) {
      return S.forms().then(function (forms) {
        if (intake.forms) return;  /* taken by a click while the page was opening */
        intake.forms = forms;
        fillProcedures();
      }, function () { return null; }).then(render);
    }
    return render();
  }).then(send);
})();
