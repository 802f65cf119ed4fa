// The progress page of a background job: asks the job's status every two seconds until
// it is finished, updates the progress bar and the text (a polite live region, so a
// screen reader hears the change), and shows the link to the result when it is ready.
// Without script the page offers "Opnieuw kijken".
(function () {
  "use strict";
  var section = document.querySelector("[data-status-url]");
  if (!section) {
    return;
  }
  var url = section.getAttribute("data-status-url");
  var bar = section.querySelector("progress");
  var percent = section.querySelector("[data-job-percent]");
  var label = section.querySelector("[data-job-label]");
  var text = section.querySelector("[data-job-text]");
  var result = section.querySelector("[data-job-result]");
  var link = section.querySelector("[data-job-link]");
  var refresh = section.querySelector("[data-job-refresh]");

  function show(data) {
    label.textContent = data.status_label;
    label.className = "tag job__status job__status--" + data.status;
    if (data.percent !== null) {
      bar.value = data.percent;
      percent.textContent = data.percent + "%";
    } else if (data.status === "done") {
      bar.value = 100;
    }
    if (text.textContent !== data.text) {
      text.textContent = data.text;
    }
    if (data.status === "done" && data.result_url) {
      link.href = data.result_url;
      result.hidden = false;
    }
    if (data.finished && refresh) {
      refresh.hidden = true;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(response.status);
        }
        return response.json();
      })
      .then(function (data) {
        show(data);
        if (!data.finished) {
          window.setTimeout(poll, 2000);
        }
      })
      .catch(function () {
        window.setTimeout(poll, 5000);
      });
  }
  window.setTimeout(poll, 1000);
})();
