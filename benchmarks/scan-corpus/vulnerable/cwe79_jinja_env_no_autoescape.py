from jinja2 import Environment, FileSystemLoader

env = Environment(loader=FileSystemLoader("templates"))


def render_profile(user):
    template = env.get_template("profile.html")
    return template.render(user=user)
