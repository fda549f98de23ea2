// Mijn school (/gaps): suggestions as you type a school's name, place, postcode or code, from
// /api/schools. Progressive enhancement: without this script the form works the same (a typed name
// that fits several schools lists them to choose from).
(function () {
  "use strict";
  var input = document.getElementById("gaps-school");
  var list = document.getElementById("gaps-school-options");
  if (!input || !list || !window.fetch) return;
  var lang = document.documentElement.lang || "nl";
  var timer = null;
  var asked = "";
  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(suggest, 200);
  });
  function suggest() {
    var text = input.value.trim();
    if (text.length < 2 || text === asked) return;
    asked = text;
    var url = "/api/schools?limit=10&lang=" + encodeURIComponent(lang) + "&q=" + encodeURIComponent(text);
    fetch(url, { headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (page) {
        if (text !== asked) return; // an older answer
        list.replaceChildren();
        page.items.forEach(function (school) {
          var option = document.createElement("option");
          option.value = school.location_code || school.id;
          option.label = school.label + (school.place ? ", " + school.place : "");
          list.appendChild(option);
        });
      })
      .catch(function () { /* no suggestions: the form still works */ });
  }
})();
