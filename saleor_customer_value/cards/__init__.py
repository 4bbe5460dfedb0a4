"""Customer cards: an identity (code, QR payload, chip UID) that points at a customer's
wallet and points. A card never holds value itself; its customer's accounts do."""
