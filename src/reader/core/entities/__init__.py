"""Organisation detection for reader: find firms, agencies and other organisations in article text.

Pure Python (no UI imports), nothing downloaded at run time.  See ``extractor.py``
for the pipeline and ``kb.py`` for the user alias file format.

    >>> from reader.core.entities import EntityExtractor
    >>> ex = EntityExtractor()
    >>> [(m.text, m.name, m.kind) for m in ex.extract("MIIT's request to Tencent Holdings Ltd.")]
    [('MIIT', 'Ministry of Industry and Information Technology', 'agency'), ('Tencent Holdings Ltd.', 'Tencent', 'firm')]
"""

from .extractor import Entity, EntityExtractor, EntityMention, default_extractor, extract_entities

__all__ = ["Entity", "EntityMention", "EntityExtractor", "extract_entities", "default_extractor"]
