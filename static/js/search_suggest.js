// Suggestions as you type in the search box, following the ARIA combobox pattern
// (an input that controls a listbox). Without JavaScript the form is a plain GET search.
(function () {
  "use strict";
  var form = document.querySelector("form[data-suggest]");
  if (!form || !window.fetch) {
    return;
  }
  var input = form.querySelector("input[name=q]");
  var list = form.querySelector("[role=listbox]");
  var status = form.querySelector("[data-suggest-status]");
  var endpoint = form.getAttribute("data-suggest");
  var options = [];
  var active = -1;
  var timer = null;
  var pending = null;
  var lastQuery = "";

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", list.id);

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function highlight(index) {
    options.forEach(function (option, i) {
      option.setAttribute("aria-selected", i === index ? "true" : "false");
    });
    active = index;
    if (index >= 0) {
      input.setAttribute("aria-activedescendant", options[index].id);
      options[index].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function choose(option) {
    input.value = option.getAttribute("data-label");
    close();
    window.location.assign(option.getAttribute("data-url"));
  }

  function show(suggestions) {
    list.textContent = "";
    options = suggestions.map(function (item, i) {
      var option = document.createElement("li");
      option.id = list.id + "-" + i;
      option.className = "search-box__option";
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.setAttribute("data-url", item.url);
      option.setAttribute("data-label", item.label);
      var label = document.createElement("span");
      label.className = "search-box__option-label";
      label.textContent = item.label;
      var detail = document.createElement("span");
      detail.className = "search-box__option-detail";
      detail.textContent = item.detail;
      option.appendChild(label);
      option.appendChild(detail);
      // mousedown, not click: it comes before the input's blur closes the list.
      option.addEventListener("mousedown", function (event) {
        event.preventDefault();
        choose(option);
      });
      list.appendChild(option);
      return option;
    });
    active = -1;
    if (options.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      status.textContent = interpolate(
        ngettext(
          "%(count)s suggestion: use the up and down arrows to choose.",
          "%(count)s suggestions: use the up and down arrows to choose.",
          options.length
        ),
        { count: options.length },
        true
      );
    } else {
      close();
      status.textContent = "";
    }
  }

  function fetchSuggestions() {
    var query = input.value.trim();
    if (query === lastQuery) {
      return;
    }
    lastQuery = query;
    if (query.length < 2) {
      show([]);
      return;
    }
    if (pending) {
      pending.abort();
    }
    pending = new AbortController();
    fetch(endpoint + "?q=" + encodeURIComponent(query), {
      headers: { Accept: "application/json" },
      signal: pending.signal,
    })
      .then(function (response) {
        return response.ok ? response.json() : { suggestions: [] };
      })
      .then(function (data) {
        if (input.value.trim() === query) {
          show(data.suggestions || []);
        }
      })
      .catch(function () {
        // Aborted or offline: the plain search still works.
      });
  }

  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(fetchSuggestions, 150);
  });

  input.addEventListener("keydown", function (event) {
    var open = !list.hidden && options.length > 0;
    if (event.key === "ArrowDown") {
      event.preventDefault();
      if (!open && options.length) {
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
      }
      if (options.length) {
        highlight(active + 1 < options.length ? active + 1 : 0);
      }
    } else if (event.key === "ArrowUp") {
      if (open) {
        event.preventDefault();
        highlight(active > 0 ? active - 1 : options.length - 1);
      }
    } else if (event.key === "Enter") {
      if (open && active >= 0) {
        event.preventDefault();
        choose(options[active]);
      }
    } else if (event.key === "Escape") {
      if (open) {
        event.preventDefault();
        close();
      } else {
        input.value = "";
      }
    }
  });

  input.addEventListener("blur", close);
})();
