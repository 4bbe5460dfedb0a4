"""The top-up line of a cart must render in any storefront.

The plugin's top-up product is unpublished so that it is never listed in the catalogue.
Saleor 2.10 resolves ``ProductVariant.product`` through ``ProductByIdLoader``, which
only returns products ``visible_to_user`` (published ones for shoppers), so
``checkout { lines { variant { product { name } } } }`` failed with "Cannot return null
for non-nullable field" for a cart holding a top-up.

The loader is only reached from a variant the caller already holds (a checkout or order
line: Saleor's ``productVariant``/``productVariants`` queries filter on visible products
first), so also resolving the top-up product there shows it to the owner of the line
without adding it to ``products`` or ``product(id)``. Saleor keeps one loader per
request under ``context_key``; the view installs this subclass under the same key
before Saleor's resolvers ask for theirs (``DataLoader.__new__`` accepts a subclass).
"""
from promise.dataloader import DataLoader as PromiseDataLoader
from saleor.graphql.product.dataloaders import ProductByIdLoader
from saleor.product.models import Product

from ...wallet.paid_values import KIND_KEY, WALLET_TOPUP


class ProductWithTopUpLoader(ProductByIdLoader):
    def __init__(self, context):
        # Installed before Saleor's GraphQL middleware authenticates the request (the
        # request has no ``user`` yet): the user is read at batch time instead.
        if self.context is not context:
            self.context = context
            PromiseDataLoader.__init__(self)

    def batch_load(self, keys):
        user = self.context.user
        products = Product.objects.visible_to_user(user).in_bulk(keys)
        missing = [key for key in keys if key not in products]
        if missing:
            products.update(
                Product.objects.filter(
                    product_type__metadata__contains={KIND_KEY: WALLET_TOPUP}
                ).in_bulk(missing)
            )
        return [products.get(product_id) for product_id in keys]


def install(request):
    """Make ``ProductWithTopUpLoader`` the request's product loader."""
    ProductWithTopUpLoader(request)
