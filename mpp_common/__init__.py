"""What the apps share: the portal's clock, database helpers, throttling, query
parameters and QR codes. Imports no app of the portal and nothing of its shell
(``mpp_portal``), so every app may import it."""
