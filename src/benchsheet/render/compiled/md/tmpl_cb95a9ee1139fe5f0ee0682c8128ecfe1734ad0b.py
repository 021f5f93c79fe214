from jinja2.runtime import LoopContext, Macro, Markup, Namespace, TemplateNotFound, TemplateReference, TemplateRuntimeError, Undefined, escape, identity, internalcode, markup_join, missing, str_join
name = 'index.html.j2'

def root(context, missing=missing):
    resolve = context.resolve_or_missing
    undefined = environment.undefined
    concat = environment.concat
    cond_expr_undefined = Undefined
    if 0: yield None
    l_0_failed = resolve('failed')
    l_0_entries = resolve('entries')
    pass
    yield '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="benchsheet">\n<title>Bench sheets</title>\n<style>\nbody { font: 10.5pt/1.4 "DejaVu Sans", Arial, sans-serif; margin: 8mm; color: #111; }\ntable { border-collapse: collapse; } th, td { border: 0.5pt solid #999; padding: 1.2mm 2.2mm; text-align: left; vertical-align: top; }\nth { background: #eee; } td.n { text-align: right; } .bad { color: #c00; font-weight: bold; }\n</style>\n</head>\n<body>\n<h1>Bench sheets</h1>\n'
    if (undefined(name='failed') if l_0_failed is missing else l_0_failed):
        pass
        yield '<p class="bad">Validation failed at error level: sheets were written for the files that modelled.</p>\n'
    yield '<table>\n<tr><th>Protocol</th><th>Variant</th><th>Sheets</th><th>Errors</th><th>Warnings</th><th>Notes</th><th>Acknowledged</th></tr>\n'
    for l_1_e in (undefined(name='entries') if l_0_entries is missing else l_0_entries):
        _loop_vars = {}
        pass
        yield '<tr><td>'
        yield str(environment.finalize(environment.getattr(l_1_e, 'title')))
        yield ' <code>'
        yield str(environment.finalize(environment.getattr(l_1_e, 'protocol_id')))
        yield '</code></td><td>'
        yield str(environment.finalize((environment.getattr(l_1_e, 'variant') or 'base')))
        yield '</td><td>'
        if environment.getattr(l_1_e, 'md'):
            pass
            yield '<a href="'
            yield str(environment.finalize(environment.getattr(l_1_e, 'html')))
            yield '">html</a> · <a href="'
            yield str(environment.finalize(environment.getattr(l_1_e, 'md')))
            yield '">md</a>'
        else:
            pass
            yield 'not rendered: '
            yield str(environment.finalize(environment.getattr(l_1_e, 'reason')))
        yield '</td><td class="n'
        if environment.getattr(l_1_e, 'errors'):
            pass
            yield ' bad'
        yield '">'
        yield str(environment.finalize(environment.getattr(l_1_e, 'errors')))
        yield '</td><td class="n">'
        yield str(environment.finalize(environment.getattr(l_1_e, 'warnings')))
        yield '</td><td class="n">'
        yield str(environment.finalize(environment.getattr(l_1_e, 'notes')))
        yield '</td><td class="n">'
        yield str(environment.finalize(environment.getattr(l_1_e, 'acknowledged')))
        yield '</td></tr>\n'
    l_1_e = missing
    yield '</table>\n</body>\n</html>\n'

blocks = {}
debug_info = '15=14&19=18&20=22'