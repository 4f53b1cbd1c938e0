"""DRF parsers with the portal's text hygiene (portal.inputs.text); its own module, since DRF's settings import it."""

from rest_framework import exceptions, parsers

from portal.inputs.text import clean_data


class CleanJSONParser(parsers.JSONParser):
    """JSON bodies: C0 control characters stripped from every string, NUL refused with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        try:
            return clean_data(data)
        except ValueError as exc:
            raise exceptions.ParseError(str(exc)) from exc
