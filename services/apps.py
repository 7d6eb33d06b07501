from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class ServicesConfig(AppConfig):
    name = "services"
    verbose_name = _("Layanan")

    def ready(self) -> None:
        from agencies.models import Agency
        from services.models import ClosureDay, OpeningHours, Service
        from services.schedule import schedule_changed
        from services.search import forget_search_index

        # Whatever path changes these rows (admin, service functions, shell), the
        # in-memory schedules must not outlive it. Bulk writes that skip signals call
        # schedule_changed() themselves.
        for model in (Agency, Service, OpeningHours, ClosureDay):
            post_save.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-{model.__name__}-save")
            post_delete.connect(schedule_changed, sender=model, dispatch_uid=f"schedule-{model.__name__}-delete")
        # The same for this process's search index; other processes see the version move.
        for model in (Agency, Service):
            post_save.connect(forget_search_index, sender=model, dispatch_uid=f"search-{model.__name__}-save")
            post_delete.connect(forget_search_index, sender=model, dispatch_uid=f"search-{model.__name__}-delete")
