"""A small library catalogue: an app factory, Flask-SQLAlchemy models, a JSON blueprint."""

from flask import Flask

from library.models import db


def create_app(test_config=None):
    app = Flask(__name__)
    app.config.from_mapping(SQLALCHEMY_DATABASE_URI="sqlite://", SECRET_KEY="dev")
    if test_config:
        app.config.update(test_config)
    db.init_app(app)
    from library import books

    app.register_blueprint(books.bp)
    with app.app_context():
        db.create_all()
    return app
