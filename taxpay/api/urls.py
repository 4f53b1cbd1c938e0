from portal.api.viewsets import router

from .views import BillViewSet

router.register("tax/bills", BillViewSet, basename="tax-bill")
