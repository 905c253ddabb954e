// Upload page: many files at once, one XHR per file with its own progress bar, then each
// document's processing status polled until it is indexed or failed.
"use strict";
(function () {
  const form = document.getElementById("upload-form");
  if (!form) return;
  const input = document.getElementById("files");
  const zone = document.getElementById("drop-zone");
  const queue = document.getElementById("queue");
  const card = document.getElementById("queue-card");
  const summary = document.getElementById("queue-summary");
  const filesError = document.getElementById("files-error");
  const msg = document.getElementById("upload-messages").dataset;
  const csrf = document.querySelector('meta[name="csrf-token"]').content;
  const maxBytes = Number(form.dataset.maxBytes);
  const CONCURRENT = 2;
  const FINAL = ["indexed", "failed"];
  let chosen = [];
  const rows = new Map(); // document id -> row state

  function fmt(template, values) {
    return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : ""));
  }

  function choose(files) {
    chosen = Array.from(files);
    filesError.hidden = chosen.length > 0;
    zone.classList.toggle("has-files", chosen.length > 0);
    zone.querySelector("p").textContent = chosen.map((f) => f.name).join(", ") || zone.querySelector("p").textContent;
  }

  input.addEventListener("change", () => choose(input.files));
  // Files picked while this deferred script was still loading fired their change event
  // before the listener existed; the button stays disabled until now so a click cannot
  // submit the bare form and reload the page.
  if (input.files.length) choose(input.files);
  document.getElementById("upload-button").disabled = false;
  ["dragenter", "dragover"].forEach((type) =>
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.add("dragging"); }));
  ["dragleave", "drop"].forEach((type) =>
    zone.addEventListener(type, (event) => { event.preventDefault(); zone.classList.remove("dragging"); }));
  zone.addEventListener("drop", (event) => choose(event.dataTransfer.files));

  function fieldError(name, text) {
    const el = document.getElementById(name + "-error");
    if (!el) return false;
    el.textContent = text;
    el.hidden = false;
    const field = document.getElementById(name);
    if (field) field.setAttribute("aria-invalid", "true");
    return true;
  }

  function clearErrors() {
    form.querySelectorAll(".field-error").forEach((el) => { el.hidden = true; el.textContent = ""; });
    form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  }

  function addRow(file) {
    const tr = document.createElement("tr");
    const name = document.createElement("td");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", fmt(msg.progressLabel, { name: file.name }));
    const barCell = document.createElement("td");
    barCell.appendChild(bar);
    const status = document.createElement("td");
    status.className = "file-status";
    status.textContent = msg.waiting;
    tr.append(name, barCell, status);
    queue.appendChild(tr);
    return { file, tr, bar, status, id: null, state: "waiting" };
  }

  function showStatus(row, state, reason, url) {
    row.state = state;
    row.tr.dataset.status = state;
    row.status.textContent = msg[state] || state;
    if (reason) {
      const why = document.createElement("span");
      why.className = "reason";
      why.textContent = " — " + reason;
      row.status.appendChild(why);
    }
    if (url) {
      const link = document.createElement("a");
      link.href = url;
      link.textContent = msg.open;
      row.status.append(" ", link);
    }
  }

  function metadata(batchId, file) {
    const meta = { batch_id: batchId, security_level: form.security_level.value };
    if (form.title.value.trim()) meta.title = form.title.value.trim();
    if (form.department.value) meta.department = form.department.value;
    return JSON.stringify(meta);
  }

  function send(row, batchId) {
    return new Promise((resolve) => {
      if (row.file.size === 0) { showStatus(row, "error", msg.empty); return resolve(); }
      if (row.file.size > maxBytes) { showStatus(row, "error", msg.tooLarge); return resolve(); }
      const body = new FormData();
      body.append("metadata", metadata(batchId, row.file));
      body.append("file", row.file, row.file.name);
      const xhr = new XMLHttpRequest();
      xhr.open("POST", "/api/v1/documents");
      xhr.setRequestHeader("X-CSRF-Token", csrf);
      xhr.setRequestHeader("Accept", "application/json");
      row.status.textContent = msg.uploading;
      xhr.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) row.bar.value = Math.round((100 * event.loaded) / event.total);
      });
      xhr.addEventListener("load", () => {
        let answer = {};
        try { answer = JSON.parse(xhr.responseText); } catch (e) { answer = {}; }
        if (xhr.status === 202 || xhr.status === 200) {
          row.bar.value = 100;
          row.id = answer.id;
          rows.set(answer.id, row);
          showStatus(row, answer.status, answer.outcome === "created" ? "" : msg.duplicate, "/documents/" + answer.id);
        } else {
          const error = answer.error || {};
          const field = (error.field || "").replace(/^metadata\./, "");
          // The API's English message stays in the API; the page says it in the page's language.
          if (field && field !== "file") fieldError(field, msg.invalidField);
          showStatus(row, "error", msg["http" + xhr.status] || msg.error);
        }
        resolve();
      });
      xhr.addEventListener("error", () => { showStatus(row, "error", msg.network); resolve(); });
      xhr.send(body);
    });
  }

  function updateSummary() {
    const all = Array.from(queue.querySelectorAll("tr"));
    const done = all.filter((tr) => FINAL.includes(tr.dataset.status) || tr.dataset.status === "error").length;
    summary.textContent = fmt(msg.summary, { done, total: all.length });
  }

  function poll() {
    const pending = Array.from(rows.values()).filter((row) => !FINAL.includes(row.state));
    updateSummary();
    if (pending.length === 0) return;
    fetch("/upload/status?ids=" + pending.map((row) => row.id).join(","), { headers: { Accept: "application/json" } })
      .then((response) => response.json())
      .then((answer) => {
        answer.documents.forEach((doc) => {
          const row = rows.get(doc.id);
          if (row && row.state !== doc.status) showStatus(row, doc.status, doc.status === "failed" ? doc.reason : "", doc.url);
        });
      })
      .catch(() => {})
      .finally(() => { updateSummary(); window.setTimeout(poll, 1500); });
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    clearErrors();
    if (chosen.length === 0) {
      filesError.textContent = msg.noFiles;
      filesError.hidden = false;
      input.focus();
      return;
    }
    card.hidden = false;
    const batchId = "web-" + Date.now().toString(36) + "-" + Math.random().toString(36).slice(2, 8);
    const todo = chosen.map(addRow);
    chosen = [];
    input.value = "";
    updateSummary();
    const workers = Array.from({ length: CONCURRENT }, async () => {
      while (todo.length) await send(todo.shift(), batchId);
    });
    await Promise.all(workers);
    poll();
  });
})();
