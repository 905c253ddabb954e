// Redaction view: every mark drawn on its page; draw, move and delete boxes with a mouse or a pen.
// Coordinates go to the server in PDF points from the page's top-left corner (as the forms take them).
"use strict";
(function () {
  const root = document.querySelector(".redactor");
  if (!root) return;
  const editable = root.dataset.editable === "yes";
  const pages = document.getElementById("redact-pages");
  const zoomLevel = document.getElementById("zoom-level");
  const ZOOMS = [0.5, 0.75, 1, 1.25, 1.5, 2, 3];
  let zoom = ZOOMS.indexOf(Number(sessionStorage.getItem("bunko-redact-zoom")) || 1);
  if (zoom < 0) zoom = 2;
  let selected = null;

  function pageOf(el) {
    const figure = el.closest(".redact-page");
    return { figure, width: Number(figure.dataset.width), height: Number(figure.dataset.height) };
  }

  function place(mark, box) {
    const { width, height } = pageOf(mark);
    mark.style.left = (box[0] / width) * 100 + "%";
    mark.style.top = (box[1] / height) * 100 + "%";
    mark.style.width = ((box[2] - box[0]) / width) * 100 + "%";
    mark.style.height = ((box[3] - box[1]) / height) * 100 + "%";
  }

  function boxOf(mark) {
    return mark.dataset.box.split(" ").map(Number);
  }

  function applyZoom() {
    pages.style.setProperty("--zoom", String(ZOOMS[zoom]));
    zoomLevel.textContent = Math.round(ZOOMS[zoom] * 100) + "%";
    sessionStorage.setItem("bunko-redact-zoom", String(ZOOMS[zoom]));
  }

  document.querySelectorAll(".redact-page").forEach((figure) => {
    figure.querySelector(".sheet").style.aspectRatio = figure.dataset.width + " / " + figure.dataset.height;
  });
  document.querySelectorAll(".redact-page .mark").forEach((mark) => place(mark, boxOf(mark)));
  root.querySelectorAll("[data-zoom]").forEach((button) => {
    button.addEventListener("click", () => {
      zoom = Math.min(ZOOMS.length - 1, Math.max(0, zoom + Number(button.dataset.zoom)));
      applyZoom();
    });
  });
  applyZoom();

  function select(mark) {
    if (selected) selected.classList.remove("selected");
    selected = mark;
    if (mark) {
      mark.classList.add("selected");
      mark.focus({ preventScroll: true });
    }
  }

  document.querySelectorAll(".show-mark").forEach((link) => {
    link.addEventListener("click", (event) => {
      const mark = document.getElementById("mark-" + link.dataset.mark);
      if (!mark) return;
      event.preventDefault();
      mark.scrollIntoView({ block: "center" });
      select(mark);
    });
  });

  if (!editable) return;

  // Points on the page under a pointer event, clamped to the page.
  function pointAt(sheet, event, width, height) {
    const rect = sheet.getBoundingClientRect();
    const x = Math.min(Math.max(event.clientX - rect.left, 0), rect.width);
    const y = Math.min(Math.max(event.clientY - rect.top, 0), rect.height);
    return [(x / rect.width) * width, (y / rect.height) * height];
  }

  const round = (v) => Math.round(v * 10) / 10;

  function submit(formId, fields) {
    const form = document.getElementById(formId);
    Object.entries(fields).forEach(([name, value]) => {
      form.elements[name].value = String(value);
    });
    form.submit();
  }

  let gesture = null;
  pages.addEventListener("pointerdown", (event) => {
    const sheet = event.target.closest(".sheet");
    if (!sheet || event.button !== 0) return;
    const { figure, width, height } = pageOf(sheet);
    const start = pointAt(sheet, event, width, height);
    const mark = event.target.closest(".mark");
    event.preventDefault();
    sheet.setPointerCapture(event.pointerId);
    if (mark) {
      select(mark);
      gesture = { kind: "move", sheet, mark, start, box: boxOf(mark), width, height, moved: false };
    } else {
      select(null);
      const drawing = document.createElement("div");
      drawing.className = "mark mark-drawing";
      sheet.append(drawing);
      gesture = { kind: "draw", sheet, figure, drawing, start, box: [...start, ...start], width, height };
      place(drawing, gesture.box);
    }
  });

  pages.addEventListener("pointermove", (event) => {
    if (!gesture) return;
    const [x, y] = pointAt(gesture.sheet, event, gesture.width, gesture.height);
    if (gesture.kind === "draw") {
      const [sx, sy] = gesture.start;
      gesture.box = [Math.min(sx, x), Math.min(sy, y), Math.max(sx, x), Math.max(sy, y)];
      place(gesture.drawing, gesture.box);
    } else {
      const [x0, y0, x1, y1] = boxOf(gesture.mark);
      const dx = Math.min(Math.max(x - gesture.start[0], -x0), gesture.width - x1);
      const dy = Math.min(Math.max(y - gesture.start[1], -y0), gesture.height - y1);
      gesture.box = [x0 + dx, y0 + dy, x1 + dx, y1 + dy];
      gesture.moved = gesture.moved || Math.abs(dx) + Math.abs(dy) > 1;
      place(gesture.mark, gesture.box);
    }
  });

  function finish() {
    if (!gesture) return;
    const g = gesture;
    gesture = null;
    const box = g.box.map(round);
    if (g.kind === "draw") {
      if (box[2] - box[0] < 2 || box[3] - box[1] < 2) {
        g.drawing.remove();
        return;
      }
      document.querySelectorAll(".mark-drawing").forEach((d) => d !== g.drawing && d.remove());
      const form = document.getElementById("box-form");
      form.elements.page.value = g.figure.dataset.page;
      ["x0", "y0", "x1", "y1"].forEach((name, i) => {
        form.elements[name].value = String(box[i]);
      });
      form.classList.add("box-ready");
      document.getElementById("box-category").focus({ preventScroll: true });
    } else if (g.moved) {
      submit("move-form", { redaction: g.mark.dataset.id, x0: box[0], y0: box[1], x1: box[2], y1: box[3] });
    }
  }
  pages.addEventListener("pointerup", finish);
  pages.addEventListener("pointercancel", finish);

  // The keyboard: arrows move the selected box (Shift: 10 points), Enter saves, Delete removes.
  pages.addEventListener("keydown", (event) => {
    const mark = event.target.closest(".mark");
    if (!mark || !mark.dataset.id) return;
    const step = event.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key]) {
      event.preventDefault();
      const { width, height } = pageOf(mark);
      const [x0, y0, x1, y1] = boxOf(mark);
      const [mx, my] = moves[event.key];
      const dx = Math.min(Math.max(mx, -x0), width - x1);
      const dy = Math.min(Math.max(my, -y0), height - y1);
      mark.dataset.box = [x0 + dx, y0 + dy, x1 + dx, y1 + dy].map(round).join(" ");
      mark.dataset.moved = "yes";
      place(mark, boxOf(mark));
    } else if (event.key === "Enter" && mark.dataset.moved === "yes") {
      event.preventDefault();
      const [x0, y0, x1, y1] = boxOf(mark);
      submit("move-form", { redaction: mark.dataset.id, x0, y0, x1, y1 });
    } else if (event.key === "Delete" || event.key === "Backspace") {
      event.preventDefault();
      submit("delete-form", { redaction: mark.dataset.id });
    }
  });
  pages.addEventListener("focusin", (event) => {
    const mark = event.target.closest(".mark");
    if (mark) select(mark);
  });
})();
