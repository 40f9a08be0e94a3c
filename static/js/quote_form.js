// Quick-quote form: previews of the chosen photos, the server's own checks of type
// and size (same words) before anything is sent, and a progress bar while the
// photos upload. Without JavaScript the form posts as usual. Its words come from the
// page's language catalogue (smp_site/urls.py: javascript-catalog, loaded before it).
(function () {
  "use strict";

  var MAX_BYTES = 15 * 1024 * 1024;
  var MAX_PHOTOS = 5;
  var ALLOWED = /\.(jpe?g|png|heic|heif)$/i;
  // Browsers other than Safari can't draw HEIC: those get a caption, not a broken image.
  var PREVIEWABLE = /\.(jpe?g|png)$/i;
  // The same sentences as common/photos.py MESSAGES and common/forms.py, so a visitor
  // reads one wording (and one translation) whichever side finds the problem.
  var MESSAGES = {
    extension: gettext("“%(name)s” is not a photo we can use. Please choose a JPG, PNG or HEIC (iPhone) photo."),
    empty: gettext("“%(name)s” is empty (0 bytes). Please choose the photo again."),
    too_large: gettext("“%(name)s” is larger than 15 MB. Please choose a smaller photo.")
  };

  function tooMany(count) {
    return interpolate(
      ngettext(
        "Please choose at most %(limit)s photo (you chose %(count)s).",
        "Please choose at most %(limit)s photos (you chose %(count)s).",
        MAX_PHOTOS
      ),
      { limit: MAX_PHOTOS, count: count },
      true
    );
  }

  // Numbers as the page's language writes them ("1,5 MB", "40 %" in German).
  var LANG = document.documentElement.lang || undefined;

  function percentText(percent) {
    return (percent / 100).toLocaleString(LANG, { style: "percent" });
  }

  function displayName(name) {
    name = name.replace(/[\u0000-\u001f\u007f]/g, "").trim() || "photo";
    if (name.length > 60) {
      var dot = name.lastIndexOf(".");
      var ext = dot > 0 ? name.slice(dot, dot + 8) : "";
      name = name.slice(0, 60 - ext.length - 1) + "…" + ext;
    }
    return name;
  }

  function problemsWith(files) {
    var problems = [];
    if (files.length > MAX_PHOTOS) {
      problems.push(tooMany(files.length));
    }
    Array.prototype.forEach.call(files, function (file) {
      var name = displayName(file.name);
      var rule = null;
      if (!ALLOWED.test(file.name)) { rule = "extension"; }
      else if (file.size === 0) { rule = "empty"; }
      else if (file.size > MAX_BYTES) { rule = "too_large"; }
      if (rule) { problems.push(interpolate(MESSAGES[rule], { name: name }, true)); }
    });
    return problems;
  }

  function setup(form) {
    var input = form.querySelector("[data-quote-photos]");
    var errorList = form.querySelector("[data-quote-photo-errors]");
    var previews = form.querySelector("[data-quote-previews]");
    var progress = form.querySelector("[data-quote-progress]");
    var bar = progress.querySelector("progress");
    var progressText = form.querySelector("[data-quote-progress-text]");
    var submit = form.querySelector("button[type=submit]");
    var urls = [];

    function showErrors(problems) {
      errorList.textContent = "";
      problems.forEach(function (text) {
        var item = document.createElement("li");
        item.className = "field-error";
        item.textContent = text;
        errorList.appendChild(item);
      });
      input.setAttribute("aria-invalid", problems.length ? "true" : "false");
    }

    function showPreviews() {
      urls.forEach(URL.revokeObjectURL);
      urls = [];
      previews.textContent = "";
      Array.prototype.forEach.call(input.files, function (file) {
        var item = document.createElement("li");
        item.className = "photo-previews__item";
        if (PREVIEWABLE.test(file.name) && file.size > 0 && file.size <= MAX_BYTES) {
          var img = document.createElement("img");
          var url = URL.createObjectURL(file);
          urls.push(url);
          img.src = url;
          img.alt = interpolate(gettext("Preview of %(name)s"), { name: displayName(file.name) }, true);
          img.width = 96;
          img.height = 96;
          item.appendChild(img);
        }
        var caption = document.createElement("span");
        caption.textContent = interpolate(
          gettext("%(name)s (%(size)s MB)"),
          { name: displayName(file.name), size: (file.size / 1048576).toLocaleString(LANG, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) },
          true
        );
        item.appendChild(caption);
        previews.appendChild(item);
      });
    }

    input.addEventListener("change", function () {
      showErrors(problemsWith(input.files));
      showPreviews();
    });

    form.addEventListener("submit", function (event) {
      var problems = problemsWith(input.files);
      if (problems.length) {
        event.preventDefault();
        showErrors(problems);
        input.focus();
        return;
      }
      if (!window.FormData || !window.XMLHttpRequest) {
        return; // a plain post still works
      }
      event.preventDefault();
      var xhr = new XMLHttpRequest();
      xhr.open("POST", form.action);
      xhr.upload.addEventListener("progress", function (e) {
        if (e.lengthComputable) {
          var percent = Math.round((e.loaded / e.total) * 100);
          bar.value = percent;
          progressText.textContent = percentText(percent);
        }
      });
      xhr.addEventListener("load", function () {
        if (xhr.status === 200 && xhr.responseURL && xhr.responseURL.split("?")[0] !== form.action.split("?")[0]) {
          // Accepted: the server redirected to the thanks page.
          window.location.assign(xhr.responseURL);
          return;
        }
        // Refused: show the server's page, with its messages and the typed fields kept.
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        progress.hidden = true;
        submit.disabled = false;
        showErrors([gettext("The upload was interrupted. Please check your connection and send the form again.")]);
      });
      progress.hidden = false;
      submit.disabled = true;
      bar.value = 0;
      progressText.textContent = percentText(0);
      xhr.send(new FormData(form));
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-quote-form]"), setup);
})();
