/* Upload scans one file at a time with a progress bar (no framework). */
(function () {
  "use strict";
  var form = document.getElementById("dz-upload");
  if (!form) return;
  var input = document.getElementById("dz-files");
  var bar = document.getElementById("dz-progress");
  var log = document.getElementById("dz-log");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;

  function note(text, isError) {
    var li = document.createElement("li");
    li.textContent = text;
    if (isError) li.className = "error";
    log.appendChild(li);
  }

  function send(files, index, done) {
    if (index >= files.length) return done();
    var file = files[index];
    var data = new FormData();
    data.append("file", file, file.name);
    var xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.upload.onprogress = function (ev) {
      if (ev.lengthComputable) {
        bar.value = Math.round(((index + ev.loaded / ev.total) / files.length) * 100);
      }
    };
    xhr.onload = function () {
      var body = {};
      try { body = JSON.parse(xhr.responseText); } catch (e) { body = { ok: false, error: xhr.statusText }; }
      if (body.ok) {
        note(file.name + ": " + (body.duplicate ? form.dataset.dup : body.pages.join(", ")), false);
      } else {
        note(body.error || file.name, true);
      }
      bar.value = Math.round(((index + 1) / files.length) * 100);
      send(files, index + 1, done);
    };
    xhr.onerror = function () { note(file.name + ": " + xhr.statusText, true); send(files, index + 1, done); };
    xhr.send(data);
  }

  form.addEventListener("submit", function (ev) {
    ev.preventDefault();
    var files = Array.prototype.slice.call(input.files);
    if (!files.length) return;
    bar.hidden = false;
    bar.value = 0;
    log.textContent = "";
    send(files, 0, function () {
      note(form.dataset.done, false);
      window.setTimeout(function () { window.location.reload(); }, 800);
    });
  });
})();
