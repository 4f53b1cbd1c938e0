"""The form builder: the staff page that edits a service type's draft form, and its writes."""
