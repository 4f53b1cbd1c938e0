from portal.api.viewsets import router

from .views import AssetViewSet, CategoryViewSet, ComplaintViewSet

router.register("complaint-categories", CategoryViewSet, basename="complaint-category")
router.register("complaint-assets", AssetViewSet, basename="complaint-asset")
router.register("complaints", ComplaintViewSet, basename="complaint")
