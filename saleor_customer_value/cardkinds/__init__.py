"""Card kinds beyond stored value (issue 13): discount groups with employee
consumption (``groups``, ``consumption``), the wallet-payment promotion
(``promotion``) and the order of the checkout discounts (``chain``)."""
