// corroborate: the little script the pages need (no inline script: the CSP forbids it).
// 1. An ingest job page polls /api/v1/jobs/{id} until the job ends.
// 2. "expand all" opens every fact of a story.
// 3. The story page's fact filters (verdict, outlet, source) apply in place; without script
//    the same form reloads the page with them and the server hides what they leave out.
"use strict";

function text(el, value) {
  if (el) el.textContent = value; // textContent: never parsed as HTML
}

function renderJob(job) {
  text(document.getElementById("job-status"), job.status);
  text(document.getElementById("job-processed"), String(job.processed));
  text(document.getElementById("job-inputs"), String(job.inputs));
  var bar = document.getElementById("job-progress");
  if (bar) {
    bar.max = Math.max(job.inputs, job.processed, 1);
    bar.value = job.processed;
  }
  Object.keys(job.counts).forEach(function (k) {
    text(document.querySelector('[data-count="' + k + '"]'), String(job.counts[k]));
  });
  var skipped = document.getElementById("job-skipped");
  if (skipped) {
    skipped.replaceChildren();
    job.skipped.forEach(function (s) {
      var tr = document.createElement("tr");
      var a = document.createElement("td");
      var b = document.createElement("td");
      var source = document.createElement("bdi"); // a file name may hold a U+202E
      source.textContent = s.source;
      a.append(source);
      b.textContent = s.reason;
      tr.append(a, b);
      skipped.append(tr);
    });
  }
  if (job.clustering) {
    var c = job.clustering;
    text(document.getElementById("job-clustering"), "Stories: " + c.clustered +
      " articles clustered, " + c.opened + " new stories, " + c.joined + " joined, " +
      c.stories + " stories in all.");
  }
  text(document.getElementById("job-error"), job.error || "");
  var section = document.getElementById("job");
  if (section) section.dataset.status = job.status;
  var next = document.getElementById("job-next");
  if (next) next.hidden = job.status !== "done";
}

function pollJob(section) {
  var id = section.dataset.job;
  function tick() {
    fetch("/api/v1/jobs/" + encodeURIComponent(id), { headers: { Accept: "application/json" } })
      .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
      .then(function (job) {
        renderJob(job);
        if (job.status !== "done" && job.status !== "failed") setTimeout(tick, 500);
      })
      .catch(function () { setTimeout(tick, 2000); });
  }
  if (section.dataset.status !== "done" && section.dataset.status !== "failed") tick();
}

function lines(value) {
  return value ? value.split("\n") : [];
}

function applyFilters(form) {
  var checked = form.querySelector('input[name="verdict"]:checked');
  var verdict = checked ? checked.value : "";
  var outlet = form.elements.outlet ? form.elements.outlet.value : "";
  var source = form.elements.source ? form.elements.source.value : "";
  var shown = 0;
  var total = 0;
  document.querySelectorAll("[data-fact][data-verdict]").forEach(function (el) {
    var keep = (!verdict || el.dataset.verdict === verdict) &&
      (!outlet || lines(el.dataset.outlets).indexOf(outlet) >= 0) &&
      (!source || lines(el.dataset.sources).indexOf(source) >= 0);
    el.hidden = !keep;
    if (el.tagName === "DETAILS") {
      total += 1;
      if (keep) shown += 1;
    }
  });
  var any = Boolean(verdict || outlet || source);
  var background = document.getElementById("background-facts");
  if (background && any) background.open = true;
  text(document.getElementById("filter-status"),
    any ? "Showing " + shown + " of " + total + " facts." : "");
  var params = new URLSearchParams();
  if (verdict) params.set("verdict", verdict);
  if (outlet) params.set("outlet", outlet);
  if (source) params.set("source", source);
  var query = params.toString();
  history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + "#facts");
}

document.addEventListener("DOMContentLoaded", function () {
  var filters = document.getElementById("fact-filters");
  if (filters) {
    filters.addEventListener("change", function () { applyFilters(filters); });
    filters.addEventListener("submit", function (event) {
      event.preventDefault();
      applyFilters(filters);
    });
  }
  var job = document.getElementById("job");
  if (job) pollJob(job);
  document.querySelectorAll("button.expand-all").forEach(function (button) {
    button.addEventListener("click", function () {
      var all = document.querySelectorAll(button.dataset.target);
      var open = Array.prototype.some.call(all, function (d) { return !d.open; });
      all.forEach(function (d) { d.open = open; });
      button.textContent = open ? "collapse all" : "expand all";
    });
  });
});
