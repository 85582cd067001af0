// Product page: choosing a SKU shows its price and stock. Everything works without this
// script (the radio buttons post the choice); it only updates the text.
(function () {
  "use strict";
  var price = document.getElementById("price");
  var stock = document.getElementById("stock");
  if (!price || !stock) return;
  function show(input) {
    var label = input.closest("label");
    var shown = label && label.querySelector(".muted");
    if (shown) price.textContent = shown.textContent;
    var n = parseInt(input.getAttribute("data-stock"), 10) || 0;
    stock.textContent = n > 0 ? stock.getAttribute("data-in") + ": " + n : stock.getAttribute("data-out");
  }
  document.querySelectorAll('input[name="sku_id"]').forEach(function (input) {
    input.addEventListener("change", function () { if (input.checked) show(input); });
    if (input.checked) show(input);
  });
})();
