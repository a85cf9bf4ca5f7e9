-- wrk script: every request POSTs the same natal chart.
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"datetime": "1990-06-15T14:30:00", "timezone": "Europe/Berlin", ' ..
           '"latitude": 52.52, "longitude": 13.405, "house_system": "placidus"}'
