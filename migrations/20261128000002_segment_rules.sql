-- Segments become rules: {"match": "all" | "any", "rules": [...]}. A campaign saved with the earlier
-- single-action form {"event", "filter", "min_count", "window"} is rewritten as one "did" rule with the
-- same meaning (the reader still accepts the old form; this keeps what is stored in one shape).
UPDATE campaigns
SET definition = json_set(
    definition,
    '$.who.segment',
    json_object(
        'match', 'all',
        'rules', json_array(json_object(
            'type', 'did',
            'event', coalesce(json_extract(definition, '$.who.segment.event'), ''),
            'filters', CASE
                WHEN json_type(definition, '$.who.segment.filter') = 'object'
                THEN json_array(json(json_extract(definition, '$.who.segment.filter')))
                ELSE json_array()
            END,
            'count', json_object(
                'op', 'at_least',
                'value', coalesce(json_extract(definition, '$.who.segment.min_count'), 1)
            ),
            'window', CASE
                WHEN json_type(definition, '$.who.segment.window') = 'object'
                THEN json(json_extract(definition, '$.who.segment.window'))
                ELSE json_object('type', 'ever')
            END
        ))
    )
)
WHERE json_type(definition, '$.who.segment') = 'object'
  AND json_type(definition, '$.who.segment.rules') IS NULL;
