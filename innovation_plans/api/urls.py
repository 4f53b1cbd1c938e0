from portal.api.viewsets import router

from . import views

router.register("innovation-plans/plans", views.PlanViewSet, basename="innovation-plan")
router.register("innovation-plans/activities", views.ActivityViewSet, basename="innovation-activity")
router.register("innovation-plans/monitoring", views.MonitoringRecordViewSet, basename="innovation-monitoring")
